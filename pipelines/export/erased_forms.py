"""The cell forms an erased person's rows take in export files: what the sweep removes (erasure.py)."""

from __future__ import annotations

import duckdb

from pipelines.export.audience import Blocklist
from pipelines.identity import install

# every cell form an exported row of the person can take (hashes as written by the ad files)
TOKENS = """
with people as (
    select email, phone_e164 from marts.customers where customer_id in (select unnest($ids::varchar[]))
    union all select unnest($emails::varchar[]), null
    union all select null, unnest($phones::varchar[])
)
select distinct unnest([
    rapport_email_key(email), rapport_sha256(rapport_email_google(email)),
    rapport_sha256(nullif(lower(trim(email)), '')), rapport_sha256(rapport_email_key(email)),
    rapport_phone_key(phone_e164), rapport_sha256(rapport_phone_key(phone_e164)),
    rapport_sha256(ltrim(replace(rapport_phone_key(phone_e164), '+', ''), '0'))
]) as token from people
"""


def tokens(con: duckdb.DuckDBPyConnection, erased: Blocklist) -> frozenset[str]:
    """Customer ids, email/phone keys and their ad-platform hashes of everyone erased."""
    if not (erased.customer_ids or erased.emails or erased.phones):
        return frozenset()
    install(con)
    params = {
        "ids": sorted(erased.customer_ids),
        "emails": sorted(erased.emails),
        "phones": sorted(erased.phones),
    }
    found = {t for (t,) in con.execute(TOKENS, params).fetchall() if t}
    return frozenset(found | erased.customer_ids | erased.emails | erased.phones)
