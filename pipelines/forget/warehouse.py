"""Erased people leave every table of the warehouse, set-based in DuckDB.

Tables that are about people (`PEOPLE_TABLES`) lose the person's rows. Every other table
keeps its rows and loses the identifying cells (set to NULL): an order, an interaction,
a quarantined cell stays counted, so rows in = loaded + quarantined and the revenue
reconciliations still hold; the money becomes anonymous revenue, as in the marts. The
erasure list itself (`raw.erasures`) is the one thing kept: it is what keeps them out.
A cell is theirs when it is one of their ids (whitespace trimmed), or contains, in any
case, one of their emails or phones in a written form or hash (tokens.py: the forms are
computed through the identity rule from what they wrote), e.g. inside a JSON record.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.forget.tokens import Tokens
from pipelines.identity import install

PEOPLE_TABLES = {
    ("raw", "customers"),
    ("raw", "_withheld_opt_outs"),
    ("intermediate", "int_customers_erased"),
    ("intermediate", "int_customer_phones"),
    # the phone cache: a pair holds the phone as written, which no other form of it matches
    ("intermediate", "int_phone_numbers"),
    # the export's e-mail verdict cache (export/email_checks.py): the address as written
    ("exports", "email_checks"),
}
# the erasure list keeps them out; the export ledger keeps the erasure day's baseline so a rerun
# of that day sends the same removals, and forgets it at the next export (export/ledger.py)
KEPT = {("raw", "erasures"), ("exports", "members")}

# one RE2 alternation over the lower-cased cell: linear time, one pass per column
CELL = """({c} is not null and (rapport_id_key({c}) in (select token from _forget_ids)
    or regexp_matches(lower({c}), $texts)))"""


def _re2(text: str) -> str:
    """`text` as an RE2 literal: every character but letters and digits as \\x{hex}."""
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in text)


def _varchar_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
        " join information_schema.tables t using (table_catalog, table_schema, table_name)"
        " where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'"
        " and t.table_catalog = current_database() order by all"
    ).fetchall()
    found: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        found.setdefault((schema, table), []).append(column)
    return found


def forget_in_warehouse(con: duckdb.DuckDBPyConnection, tokens: Tokens) -> int:
    """Delete or anonymise every row of the people in `tokens` (writer connection); returns
    the rows deleted plus the rows anonymised."""
    if not tokens:
        return 0
    install(con)
    con.register("_forget_ids", pl.DataFrame({"token": sorted(tokens.ids)}).to_arrow())
    texts = "|".join(_re2(t.lower()) for t in sorted(tokens.texts | tokens.hashes)) or "$^"
    changed = 0
    con.execute("begin transaction")
    for (schema, table), columns in _varchar_columns(con).items():
        if (schema, table) in KEPT:
            continue
        name = f'"{schema}"."{table}"'
        if (schema, table) in PEOPLE_TABLES:
            where = " or ".join(CELL.format(c=f'"{c}"') for c in columns)
            changed += con.execute(f"delete from {name} where {where}", {"texts": texts}).fetchall()[0][0]
            continue
        for column in columns:
            cell = CELL.format(c=f'"{column}"')
            update = f'update {name} set "{column}" = null where {cell}'
            changed += con.execute(update, {"texts": texts}).fetchall()[0][0]
    con.execute("commit")
    con.unregister("_forget_ids")
    return changed
