"""The customers an orphan check compares against, gathered once per staged batch.

orphans.known_customers is a union of five sources (staged and committed customers, every id the
batch's customer rows named, the quarantined ones). The orphan check of every chunk of every
other entity read and hashed that union again: at 1M customers 3M ids per chunk, at 3M customers
three times the ids in three times the chunks (chunks x batch). Customers are staged first and
nothing after them adds a customer, so the union is fixed from then on: it is kept here once, as
a distinct id table and the few broken customer lines, and every chunk's anti join probes that.
"""

from __future__ import annotations

import duckdb

from pipelines.erasure_key import install_hmac
from pipelines.load.orphans import ERASED_IDS, known_customers
from pipelines.warehouse import table_exists

IDS = "_known_customer_ids"
LINES = "_broken_customer_lines"


def remember_known_customers(con: duckdb.DuckDBPyConnection) -> tuple[str, str]:
    """Materialise orphans.known_customers() into two temp tables (replaced if they exist); returns
    the (ids SQL, lines SQL) pair orphans_sql takes, reading those tables."""
    ids, lines = known_customers()
    # an anti join matches a value, not a row: the distinct ids give the same verdicts
    con.execute(f"create or replace temp table {IDS} as select distinct customer_id as id from ({ids})")
    con.execute(f"create or replace temp table {LINES} as {lines}")
    # ids forget or the export remembered as an erased person's (keyed hashes): an erased
    # account's later order under its old id is theirs, not an orphan (orphans.orphans_sql)
    install_hmac(con)
    remembered = "select digest from exports.erased where kind = 'id'"
    if not table_exists(con, "exports", "erased"):
        remembered = "select null::varchar as digest where false"
    con.execute(f"create or replace temp table {ERASED_IDS} as {remembered}")
    return f"select id from {IDS}", f"select line from {LINES}"
