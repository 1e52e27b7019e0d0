"""Who must not be contacted, read from the warehouse; and whether those lists can be trusted.

A suppression, erasure or withdrawn consent names a person by any of their identifiers
(a source or canonical customer id, an email in any variant, a phone); each resolves to
the canonical customer and all their keys, so one merged account or one gmail dot variant
cannot slip through. A row's date never matters: it applies from the moment it lands.
If any do-not-contact row or file could not be read, the export refuses (fails closed).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.contract import DO_NOT_CONTACT
from pipelines.export.audience import Blocklist
from pipelines.identity import install
from pipelines.load.keys import DUPLICATE, DUPLICATE_ACROSS
from pipelines.warehouse import table_exists

PEOPLE = """
with accounts as (
    select customer_id, customer_id as any_id from marts.customers
    union
    select customer_id, unnest(string_split(source_customer_ids, '|')) from marts.customers
    where source_customer_ids is not null
)
select accounts.customer_id, rapport_id_key(accounts.any_id) as any_id,
    rapport_email_key(c.email) as email_key, rapport_phone_key(c.phone_e164) as phone_key
from accounts join marts.customers c on c.customer_id = accounts.customer_id
"""

ERASED_PEOPLE = """
union select customer_id, rapport_id_key(source_customer_id), email_key, phone_key
from intermediate.int_customers_erased
"""

# A listed phone written without + or 00 has no country to parse it with: its digits name every
# person whose E.164 has them as national number or as all its digits (fail closed; one rule
# with int_erasure_requests, pipelines/identity.py).
LISTED = {
    "list": """select rapport_email_key(email) as email_key, rapport_id_key(customer_id) as any_id,
        rapport_phone_key(phone) as phone_key, rapport_phone_national(phone) as phone_national
        from raw.{table}""",
    # an opt-out on one account holds for every account sharing its address or phone
    "withdrawn": """select rapport_email_key(email) as email_key, customer_id as any_id,
        rapport_phone_key(phone_e164) as phone_key, null::varchar as phone_national
        from marts.customers where unsubscribed_at is not null""",
    # the opt-out of a customers row quarantined for another reason (pipelines/load/withheld.py)
    "withheld": """select rapport_email_key(email), rapport_id_key(customer_id),
        rapport_phone_key(phone), rapport_phone_national(phone) from raw._withheld_opt_outs""",
}

BLOCKED = """
with people as ({people}), listed as ({listed}),
national as (select distinct phone_national from listed where phone_national is not null),
matched as (
    select people.* from listed join people on listed.any_id = people.any_id
    union select people.* from listed join people on listed.email_key = people.email_key
    union select people.* from listed join people on listed.phone_key = people.phone_key
    union select people.* from national join people
        on national.phone_national = rapport_phone_nsn(people.phone_key)
    union select people.* from national join people on '+' || national.phone_national = people.phone_key
)
select 'id' as kind, customer_id as value from matched
union select 'email', email_key from matched union select 'email', email_key from listed
union select 'phone', phone_key from matched union select 'phone', phone_key from listed
"""


class DoNotContactUnreadable(RuntimeError):
    """A do-not-contact input could not be read: nothing is exported until it is fixed."""


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    query = "select column_name from information_schema.columns where table_schema = ? and table_name = ?"
    return {c for (c,) in con.execute(query, [schema, table]).fetchall()}


def blocklist(con: duckdb.DuckDBPyConnection, table: str, people: str = PEOPLE) -> Blocklist:
    """Everyone `raw.<table>` names (or, for 'withdrawn', every opted-out account), by all keys;
    `people`: PEOPLE's SQL, or a table the caller materialised from it once for every list."""
    install(con)
    if table == "withdrawn":
        listed = LISTED["withdrawn"]
        if "source_line" in _columns(con, "raw", "_withheld_opt_outs"):
            listed += " union all " + LISTED["withheld"]
    else:
        have = _columns(con, "raw", table)
        listed = LISTED["list"].format(table=table)
        if "phone" not in have:  # a warehouse the loader has not upgraded yet
            listed = listed.replace("rapport_phone_key(phone)", "null::varchar")
            listed = listed.replace("rapport_phone_national(phone)", "null::varchar")
    if {"email_key", "phone_key"} <= _columns(con, "intermediate", "int_customers_erased"):
        # erased people are no longer in marts.customers: their accounts and keys come from here
        people += ERASED_PEOPLE
    rows = con.execute(BLOCKED.format(people=people, listed=listed)).fetchall()
    found: dict[str, set[str]] = {"id": set(), "email": set(), "phone": set()}
    for kind, value in rows:
        if value is not None:
            found[kind].add(value)
    return Blocklist(frozenset(found["id"]), frozenset(found["email"]), frozenset(found["phone"]))


def without_consent(con: duckdb.DuckDBPyConnection) -> pl.Series:
    """Canonical ids of everyone who may not be marketed to (no consent, or withdrawn)."""
    query = "select customer_id from marts.customers where not coalesce(has_marketing_consent, false)"
    return con.sql(query).pl()["customer_id"]


def refusal(con: duckdb.DuckDBPyConnection) -> str | None:
    """One line naming the first unreadable do-not-contact file, line and value, or None.

    Duplicates are harmless (the first copy applies); every other quarantined row or
    file of a do-not-contact entity means someone asked not to be contacted and we could
    not read who.
    """
    if not table_exists(con, "raw", "_quarantine"):
        return None
    rows = con.execute(
        "select source_file, source_line, value, reason, count(*) over () from raw._quarantine"
        " where entity in $dnc and reason not in $harmless order by source_file, source_line limit 1",
        {"dnc": list(DO_NOT_CONTACT), "harmless": [DUPLICATE, DUPLICATE_ACROSS]},
    ).fetchall()
    if not rows:
        return None
    source_file, line, value, reason, total = rows[0]
    more = f" (+{total - 1} more)" if total > 1 else ""
    return (
        f"export refused: do-not-contact input unreadable: {source_file} line {line}"
        f" value {value!r}: {reason}{more}; fix or replace the file, nothing is exported until then"
    )
