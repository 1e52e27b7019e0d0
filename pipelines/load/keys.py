"""Key rules of one entity, run on the rows that passed the row rules (`_typed`).

Order matters: a duplicate within a file first, then a key another file already brought
(for entities that are events, not restatable records), then an unknown customer; each
rule only looks at rows no earlier rule quarantined, so a row carries one key reason.
"""

from __future__ import annotations

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.schema import ident

DUPLICATE = "duplicate key in file"
DUPLICATE_ACROSS = "duplicate key across files"
ORPHAN = "orphan customer_id"
UNPARSEABLE = "unparseable row"
BAD_ENCODING = "bad encoding"
# A later file may restate these (a status change, a new address, a converted referral);
# for every other entity a key seen in another file is the same event delivered twice.
RESTATABLE = frozenset({"orders", "customers", "products", "marketing_spend", "referrals"})
_CLEAN = (
    "not exists (select 1 from incoming._quarantine q where q.entity = $entity"
    " and q.source_file = t._source_file and q.source_line = t._source_line)"
)


def _quarantine(
    con: duckdb.DuckDBPyConnection, entity: str, column: str, value: str, reason: str, where: str
) -> None:
    con.execute(
        f"insert into incoming._quarantine select $entity, _source_file, _source_line, $column, {value},"
        f" $reason from _keyed t where {_CLEAN} and {where}",
        {"entity": entity, "column": column, "reason": reason},
    )


def _known_customers() -> tuple[str, str]:
    """(SQL of known customer ids, SQL of quarantined customer lines' text).

    A customer whose row was quarantined (a bad birthday, a broken quote) still exists: its
    orders and events are no orphans, or one typo would take a customer's history down too.
    """
    ids = [
        f"select customer_id from {t}" for t in ("incoming.customers", "raw.customers", "_customer_ids_seen")
    ]
    held = "entity = 'customers' and column_name = 'customer_id'"
    ids += [f"select value from {s}._quarantine where {held}" for s in ("incoming", "raw")]
    broken = f"entity = 'customers' and reason in ('{UNPARSEABLE}', '{BAD_ENCODING}')"
    lines = " union all ".join(
        f"select replace(value, '\"', '') as line from {s}._quarantine where {broken}"
        for s in ("incoming", "raw")
    )
    return " union all ".join(ids), lines


def apply_key_rules(con: duckdb.DuckDBPyConnection, entity: str, check_orphans: bool) -> None:
    """Quarantine key defects of `_typed` and stage the rest into incoming.<entity>."""
    contract = ENTITIES[entity]
    keys = ", ".join(ident(k) for k in contract.key)
    same_key = " and ".join(f"o.{ident(k)} = t.{ident(k)}" for k in contract.key)
    key_text = "concat_ws('|', " + ", ".join(f"{ident(k)}::varchar" for k in contract.key) + ")"
    key_column = ",".join(contract.key)
    con.execute(
        "create or replace temp table _keyed as select *, row_number() over"
        f" (partition by _source_file, {keys} order by _source_line) as _occurrence from _typed"
    )
    if entity == "customers":
        con.execute(
            "insert into _customer_ids_seen select customer_id from _checked where customer_id is not null"
        )
    _quarantine(con, entity, key_column, key_text, DUPLICATE, "_occurrence > 1")
    if entity not in RESTATABLE:
        # the first file in path order keeps the key; raw rows of re-staged files are replaced
        earlier = (
            f"select 1 from _keyed o where o._occurrence = 1 and {same_key}"
            " and o._source_file < t._source_file"
        )
        committed = (
            f"select 1 from raw.{ident(entity)} o where {same_key}"
            " and o._source_file not in (select source_file from _batch_files)"
        )
        where = f"_occurrence = 1 and (exists ({earlier}) or exists ({committed}))"
        _quarantine(con, entity, key_column, key_text, DUPLICATE_ACROSS, where)
    # a do-not-contact or erasure row must hold even for an id never seen (or none at all)
    no_orphans = entity in ("customers", "suppressions", "erasures")
    if check_orphans and not no_orphans and "customer_id" in contract.column_names:
        ids, lines = _known_customers()
        where = (
            f"not exists (select 1 from ({ids}) k(id) where k.id = t.customer_id)"
            f" and not exists (select 1 from ({lines}) l where contains(l.line, t.customer_id))"
        )
        _quarantine(con, entity, "customer_id", "customer_id", ORPHAN, where)
    columns = ", ".join(ident(c) for c in contract.column_names)
    con.execute(
        f"insert into incoming.{ident(entity)} select {columns}, _source_file, _source_line"
        f" from _keyed t where {_CLEAN}",
        {"entity": entity},
    )
    con.execute("drop table _keyed")
