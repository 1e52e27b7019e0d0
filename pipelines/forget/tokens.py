"""Every form an erased person's identifiers take in what rapport keeps, computed in DuckDB.

The people are the accounts `intermediate.int_customers_erased` lists (built by this run's
dbt from the erasure list through the one identity rule). Their identifiers are read back
from `raw.customers` as written, so the forms a file may carry are all covered: the source
and canonical ids, the email as written / trimmed lower case / identity key / Google form,
the phone as written / E.164 (also from the phone cache, for national numbers) / digits,
the full name, and the SHA-256 hashes of emails and phones the ad-platform files carry.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.identity import install
from pipelines.warehouse import table_exists

# The phone cache is joined once per id of the account (source and canonical) by equality:
# `p.customer_id in (source, canonical)` is a nested-loop join over the whole cache (28 s of
# thread time at 1M customers). The extra row an account gets has the same forms or none.
PEOPLE = """
select e.source_customer_id, e.customer_id, c.email, c.phone, c.first_name, c.last_name,
    coalesce(e.phone_key, rapport_phone_key(c.phone), p.phone_e164) as e164
from (
    select *, unnest([source_customer_id, customer_id]) as owner from intermediate.int_customers_erased
) e
left join raw.customers c on rapport_id_key(c.customer_id) = e.source_customer_id
left join {phones} p on p.customer_id = e.owner
"""

FORMS = """
with people as ({people}),
emails as (
    select distinct unnest([lower(trim(email)), rapport_squash(email), rapport_email_key(email),
        rapport_email_google(email)]) as form from people
),
phones as (
    select distinct unnest([rapport_squash(phone), e164, ltrim(e164, '+')]) as form from people
)
select 'id', unnest([source_customer_id, customer_id]) from people
union select 'text', form from emails union select 'text', form from phones
union select 'text', lower(rapport_trim(first_name || ' ' || last_name)) from people
union select 'hash', rapport_sha256(form) from emails union select 'hash', rapport_sha256(form) from phones
"""


@dataclass(frozen=True)
class Tokens:
    ids: frozenset[str] = frozenset()  # matched whole (a short id is a substring of others)
    texts: frozenset[str] = frozenset()  # emails, phones, full names: lower case, at a boundary (bounds.py)
    # lower-case hex SHA-256 of the emails and phones; a hashed first name is shared with
    # other people, so it is never a token (the person's rows go with their other identifiers)
    hashes: frozenset[str] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.ids)

    def all(self) -> frozenset[str]:
        return self.ids | self.texts | self.hashes


def erased_tokens(con: duckdb.DuckDBPyConnection) -> Tokens:
    """The identifiers of everyone int_customers_erased lists, in every written form."""
    needed = (("intermediate", "int_customers_erased"), ("raw", "customers"))
    if not all(table_exists(con, schema, table) for schema, table in needed):
        return Tokens()
    install(con)
    phones = (
        "intermediate.int_customer_phones"
        if table_exists(con, "intermediate", "int_customer_phones")
        else "(select null::varchar as customer_id, null::varchar as phone_e164)"
    )
    rows = con.execute(FORMS.format(people=PEOPLE.format(phones=phones))).fetchall()
    found: dict[str, set[str]] = {"id": set(), "text": set(), "hash": set()}
    for kind, value in rows:
        # an id is matched whole; a one- or two-letter text would match inside everything
        if value and (kind == "id" or len(value) >= 3):
            found[kind].add(value)
    return Tokens(frozenset(found["id"]), frozenset(found["text"]), frozenset(found["hash"]))
