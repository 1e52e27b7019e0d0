"""Erased people, remembered only as keyed hashes, so they are never exported again.

The ledger forgets everything it exported for an erased person (ledger_erase.erase); what
it keeps is an HMAC-SHA-256 of each of their match keys (canonical customer id, email
key, phone key), with a key from RAPPORT_ERASURE_KEY or a generated key file under
RAPPORT_HOME (0600). Without the key the hashes cannot be tested against a guessed
address; with it, a person whose erasure row later disappears from the landing lists
(a replaced file, a rebuilt warehouse from other sources) is still recognised and kept
out. HMAC is computed in DuckDB (sha256 over the RFC 2104 pads), never row by row.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.erasure_key import install_hmac as install_hmac  # re-exported: forget, tests
from pipelines.export.audience import Blocklist
from pipelines.identity import install
from pipelines.warehouse import connect, table_exists

DDL = "create table if not exists exports.erased (kind varchar, digest varchar, primary key (kind, digest))"
_KINDS = (("id", "customer_ids"), ("email", "emails"), ("phone", "phones"))
# Each person's keys are hashed once, then matched by equality joins, one per kind of key:
# a join on an OR of conditions ran as a nested loop, hashing every person once per
# remembered digest (a rerun at 100k spent ~127 of its 144 s of CPU there).
# Each distinct key is hashed once (an account's id is both its customer_id and one of its
# any_ids, a customer has several accounts sharing an email and a phone key: hashing per row
# and column hashed most keys two to four times).
RECALL = """
with people as ({people}),
keys as (
    select distinct kind, v from (
        select 'id' as kind, customer_id as v from people union all select 'id', any_id from people
        union all select 'email', email_key from people union all select 'phone', phone_key from people
    ) where v is not null
),
erased_keys as (select k.kind, k.v from keys k semi join exports.erased e
    on e.kind = k.kind and e.digest = rapport_hmac(k.v)),
hit as (
    select p.* from people p semi join erased_keys k on k.kind = 'id' and k.v = p.customer_id
    union all select p.* from people p semi join erased_keys k on k.kind = 'id' and k.v = p.any_id
    union all select p.* from people p semi join erased_keys k on k.kind = 'email' and k.v = p.email_key
    union all select p.* from people p semi join erased_keys k on k.kind = 'phone' and k.v = p.phone_key
)
select 'id', customer_id from hit union select 'email', email_key from hit
union select 'phone', phone_key from hit
"""


def ensure_erased(warehouse: Path) -> None:
    """Create the (empty) table if no export or forget has yet (dbt_build_clv, before the docs)."""
    with connect(warehouse) as con:
        con.execute(f"create schema if not exists exports; {DDL}")


# one key and one HMAC for the export, forget and dbt (pipelines/erasure_key.py)
_install_hmac = install_hmac


def remember(con: duckdb.DuckDBPyConnection, erased: Blocklist) -> None:
    """Record the keyed hashes of `erased`'s keys (writer connection)."""
    _install_hmac(con)
    con.execute(DDL)
    for kind, field in _KINDS:
        con.execute(
            "insert or ignore into exports.erased select distinct $k, rapport_hmac(v)"
            " from (select unnest($v::varchar[]) as v) where v is not null",
            {"k": kind, "v": sorted(getattr(erased, field))},
        )


def remember_tokens(con: duckdb.DuckDBPyConnection, tokens: frozenset[str]) -> None:
    """Record the keyed hashes of every written form of an erased person's identifiers
    (pipelines/forget/tokens.py), so a later export sweep recognises them in files after
    the warehouse has forgotten the person (writer connection)."""
    _install_hmac(con)
    con.execute(DDL)
    con.execute(
        "insert or ignore into exports.erased select distinct 'token', rapport_hmac(lower(v))"
        " from (select unnest($v::varchar[]) as v) where v is not null",
        {"v": sorted(tokens)},
    )


def token_digests(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The keyed hashes remember_tokens recorded."""
    if not table_exists(con, "exports", "erased"):
        return frozenset()
    return frozenset(
        d for (d,) in con.execute("select digest from exports.erased where kind = 'token'").fetchall()
    )


def recall(con: duckdb.DuckDBPyConnection, people: str) -> Blocklist:
    """Everyone in `people` (SQL: customer_id, any_id, email_key, phone_key) whose key was
    remembered as erased, by all their keys."""
    if not table_exists(con, "exports", "erased"):
        return Blocklist()
    _install_hmac(con)
    install(con)
    rows = con.execute(RECALL.format(people=people)).fetchall()
    got: dict[str, set[str]] = {"id": set(), "email": set(), "phone": set()}
    for kind, value in rows:
        if value is not None:
            got[kind].add(value)
    return Blocklist(frozenset(got["id"]), frozenset(got["email"]), frozenset(got["phone"]))
