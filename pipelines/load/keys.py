"""Key rules of one entity, run on the rows that passed the row rules (`_typed`).

Order matters: a duplicate within a file first, then a key another file already brought
(for entities that are events, not restatable records), then an unknown customer; each
rule only looks at rows no earlier rule quarantined, so a row carries one key reason.

The verdicts are computed on key columns only, into `_key_bad`, and then inserted into the
quarantine at once; the staged rows are `_typed` less the quarantine. Only keys that occur
more than once in the batch (a hash aggregate) can be duplicates, so the ranking window runs
on those rows alone: a window over every staged row (a sort of the whole entity) and one
quarantine anti-join per rule took most of staging's key time at 1M customers.
"""

from __future__ import annotations

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.dialect import DUCKDB, Dialect
from pipelines.load.orphans import ERASED_IDS, LINE, NOT_KEY_BAD, orphans_sql
from pipelines.load.schema import ident

DUPLICATE = "duplicate key in file"
DUPLICATE_ACROSS = "duplicate key across files"
ORPHAN = "orphan customer_id"
# A later file may restate these (a status change, a new address, a converted referral);
# for every other entity a key seen in another file is the same event delivered twice.
RESTATABLE = frozenset({"orders", "customers", "products", "marketing_spend", "referrals"})


def duplicates_sql(entity: str, key: tuple[str, ...], text: str) -> str:
    """Rows (of `_typed`) whose key an earlier line of the same file, or an earlier file in
    path order (events), brought: _source_file, _source_line, column, value, reason."""
    keys = ", ".join(ident(k) for k in key)
    # in-file duplicates group NULL keys together (partition by); across files NULL matches nothing
    same = " and ".join(f"t.{ident(k)} is not distinct from m.{ident(k)}" for k in key)
    across = "false"
    if entity not in RESTATABLE:  # the first file in path order keeps the key
        across = " and ".join([f"{ident(k)} is not null" for k in key] + ["_source_file > _first_file"])
    return (
        f"with multi as (select {keys} from _typed group by all having count(*) > 1),"
        f" seen as (select t.* from _typed t semi join multi m on {same}),"
        f" ranked as (select *, row_number() over (partition by _source_file, {keys} order by _source_line)"
        f" as _occurrence, min(_source_file) over (partition by {keys}) as _first_file from seen)"
        f" select {LINE}, $column, {text}, case when _occurrence > 1 then $dup else $across end"
        f" from ranked where _occurrence > 1 or ({across})"
    )


def key_text(entity: str, d: Dialect = DUCKDB) -> str:
    """The key of a row as one text value (`a|b`), the quarantine's value of a key verdict."""
    return "concat_ws('|', " + ", ".join(d.as_text(ident(k)) for k in ENTITIES[entity].key) + ")"


def _duplicates(
    con: duckdb.DuckDBPyConnection, entity: str, key: tuple[str, ...], text: str, earlier: str | None
) -> None:
    """Rows whose key an earlier line of the same file, or an earlier file (events), brought."""
    con.execute(
        f"insert into _key_bad {duplicates_sql(entity, key, text)}",
        {"column": ",".join(key), "dup": DUPLICATE, "across": DUPLICATE_ACROSS},
    )
    if entity in RESTATABLE:
        return
    keys = ", ".join(ident(k) for k in key)
    same = " and ".join(f"t.{ident(k)} = c.{ident(k)}" for k in key)
    sources = []
    if earlier:  # the batch is staged a chunk of files at a time, in path order (entity.py)
        # what earlier chunks' rows of `_typed` brought: the rows they staged, and their key verdicts
        con.execute(f"create temp table if not exists {earlier} as select {keys} from _typed where false")
        sources.append(f"select {keys} from incoming.{ident(entity)} union all select * from {earlier}")
    # a key an earlier run committed; raw rows of re-staged files are replaced, so they do not count
    raw = f"raw.{ident(entity)} where _source_file not in (select source_file from _batch_files)"
    sources.append(f"select {keys} from {raw}")
    for source in sources:
        # the chunk's distinct keys are looked up, not its rows: the join's hash table is then a
        # chunk's keys, not its rows with their file names (at 10M customers 4M rows against 59M keys)
        con.execute(
            f"insert into _key_bad select {LINE}, $column, {text}, $across from _typed t semi join"
            f" (select {keys} from (select distinct {keys} from _typed) t semi join ({source}) c on {same}) c"
            f" on {same} where {NOT_KEY_BAD}",
            {"column": ",".join(key), "across": DUPLICATE_ACROSS},
        )


def apply_key_rules(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    check_orphans: bool,
    earlier: str | None = None,
    known: tuple[str, str] | None = None,
) -> None:
    """Quarantine key defects of `_typed` and stage the rest into incoming.<entity>; `earlier`
    names a table of the keys of earlier chunks' rows that key verdicts quarantined (their other
    rows are in incoming.<entity>); created here, added to. `known`: see orphans_sql."""
    contract = ENTITIES[entity]
    text = key_text(entity)
    if entity == "customers":
        con.execute(
            "insert into _customer_ids_seen select customer_id from _checked where customer_id is not null"
        )
    con.execute(
        "create or replace temp table _key_bad (_source_file varchar, _source_line bigint,"
        " column_name varchar, value varchar, reason varchar)"
    )
    _duplicates(con, entity, contract.key, text, earlier)
    # a do-not-contact or erasure row must hold even for an id never seen (or none at all)
    no_orphans = entity in ("customers", "suppressions", "erasures")
    if check_orphans and not no_orphans and "customer_id" in contract.column_names:
        erased = f"select digest from {ERASED_IDS}" if known is not None else None  # known.py made both
        con.execute(f"insert into _key_bad {orphans_sql(known, erased)}", {"reason": ORPHAN})
    if earlier and entity not in RESTATABLE:
        keys = ", ".join(ident(k) for k in contract.key)
        con.execute(f"insert into {earlier} select {keys} from _typed t where not {NOT_KEY_BAD}")
    con.execute("insert into incoming._quarantine select $entity, * from _key_bad", {"entity": entity})
    columns = ", ".join(ident(c) for c in contract.column_names)
    # `_typed` leaves out quarantined lines (rules.py), now the key verdicts' too
    con.execute(f"insert into incoming.{ident(entity)} select {columns}, {LINE} from _typed")
    con.execute("drop table _key_bad")
