"""Read a staged entity as the pandas frame its incoming suite validates, with the
reference columns computed next to the data in DuckDB (GX would do them row by row).

Only the columns the suite reads (and the lineage that locates an example) are copied out
of DuckDB: GX's pandas engine hashes and scans every column it is given, and the copy of
wide text columns (names, addresses) was most of the gate's memory.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from expectations.suites.incoming import RESTATABLE
from pipelines.contract import ENTITIES
from pipelines.quality.duckdb_batch import DuckDBBatch, copy_batch
from pipelines.quality.expected_rows import expected_rows
from pipelines.warehouse import table_exists

LINEAGE = ("_source_file", "_source_line")  # where an example row came from


@dataclass(frozen=True)
class Staged:
    frame: pd.DataFrame | DuckDBBatch
    as_of: date | None
    expected_rows: float | None


# The reference columns look a batch's keys up in what is staged and committed. A lookup in a
# select list (IN, EXISTS) builds its hash table on the looked-up side: every committed customer
# and event, whatever the batch's size. When the batch is the smaller side (a day against the
# warehouse), the looked-up rows are first cut to the batch's keys (a semi join built on the
# batch); a full load is looked up as it is (cutting it would hash the batch as well). At 1M, next
# day: gate 8.6 -> 6.5 s CPU, peak 820 -> 403 MiB; the same values either way (tests).
CUT_BELOW = 1.0  # cut when batch rows < CUT_BELOW x looked-up rows
# A batch read in place is a view that every metric query runs again, lookups and all: for a day's
# few thousand rows that is each time a scan of the committed keys it looks up (a day at 1M: 26k
# rows, ~40 queries). A batch this small with a lookup is kept as a temporary table on the gate's
# connection once, its lookups run once; a full load stays a view (a copy of it cost ~10 s at 1M).
KEEP_UP_TO = 250_000  # rows


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(f"select count(*) from ({sql})").fetchall()[0][0])


# Each is a left join on the keys looked up, grouped (a marker column says "found"), not an IN or
# EXISTS in the select list. The batch is a view that every metric query reads (a unique count, a
# regex's values, a row count), and DuckDB drops a left join on a grouped side (not on a `select
# distinct` one) whose columns a query does not use, only the last of a chain though: the customer
# lookup comes last, the one a full load (nothing in raw yet) has, over every staged customer.
Derived = tuple[str, str]  # (column expression, the join it needs or "")


def _customer_known(con: duckdb.DuckDBPyConnection, entity: str) -> Derived:
    tables = [f"{s}.customers" for s in ("incoming", "raw") if table_exists(con, s, "customers")]
    known = " union all ".join(f"select customer_id from {t}" for t in tables)
    n_known = _rows(con, known) if known else 0
    if not n_known:  # no customer file was ever seen: an orders-only shop, nothing to refer to
        return "case when true then null else t.customer_id end", ""
    if _rows(con, f"select 1 from incoming.{entity}") < CUT_BELOW * n_known:
        mine = f"select customer_id from incoming.{entity}"
        known = f"select customer_id from ({known}) k where k.customer_id in ({mine})"
    found = f"(select customer_id, true as _hit from ({known}) group by customer_id)"
    join = f"left join {found} _known_customer on t.customer_id = _known_customer.customer_id"
    return "case when _known_customer._hit then null else t.customer_id end", join


def _seen_in_raw(con: duckdb.DuckDBPyConnection, entity: str) -> Derived:
    if entity in RESTATABLE or not table_exists(con, "raw", entity):
        return "false", ""
    key = ENTITIES[entity].key
    same = " and ".join(f'_seen."{k}" = t."{k}"' for k in key)
    batch = (
        "select source_file from incoming._files"
        if table_exists(con, "incoming", "_files")
        else "select null"
    )
    raw = f"raw.{entity}"
    if _rows(con, f"select 1 from incoming.{entity}") < CUT_BELOW * _rows(con, f"select 1 from {raw}"):
        mine = " and ".join(f'c."{k}" = b."{k}"' for k in key)
        columns = ", ".join(f'c."{k}"' for k in (*key, "_source_file"))
        raw = f"(select {columns} from raw.{entity} c semi join incoming.{entity} b on {mine})"
    keys = ", ".join(f'r."{k}"' for k in key)
    earlier = f"{raw} r where r._source_file not in ({batch})"
    found = f"(select {keys}, true as _hit from {earlier} group by {keys})"
    return "coalesce(_seen._hit, false)", f"left join {found} _seen on {same}"


def read_staged(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    wanted: Collection[str] | None = None,
    into: Path | None = None,
    in_place: str | None = None,
) -> Staged | None:
    """The staged rows of `entity` with derived columns, or None when nothing is staged.

    `wanted` limits the frame to those columns (in table order; lineage always kept); a
    wanted column the table lacks stays absent, so a suite still sees it missing. With
    `in_place` (the key `con` is held under, duckdb_open.hold), the batch is the query itself,
    read where the rows are; with `into`, the rows are copied into that DuckDB file (also when
    the rows have no lineage to order them by); else a pandas frame.
    """
    if not table_exists(con, "incoming", entity):
        return None
    columns = [r[0] for r in con.execute(f"describe incoming.{entity}").fetchall()]
    keep = None if wanted is None else {*wanted, *LINEAGE}
    derived = {"_seen_in_raw": _seen_in_raw(con, entity)}
    if "customer_id" in columns and entity != "customers":
        derived["_unknown_customer"] = _customer_known(con, entity)
    if entity == "customers" and "email" in columns:
        derived["_email"] = ("lower(trim(t.email))", "")
    wanted_derived = {name: d for name, d in derived.items() if keep is None or name in keep}
    selected = [f't."{c}"' for c in columns if keep is None or c in keep]
    selected += [f"{sql} as {name}" for name, (sql, _) in wanted_derived.items()]
    joins = "".join(f" {join}" for _, join in wanted_derived.values() if join)
    # Decimals arrive as float64, which GX compares natively (object Decimals are slow).
    query = f"select {', '.join(selected)} from incoming.{entity} t{joins}"
    ordered = all(c in columns for c in LINEAGE)
    if in_place and ordered:  # positions by lineage, found by the metrics: no copy, no sort
        (count,) = con.execute(f"select count(*) from incoming.{entity}").fetchall()[0]
        if joins and count <= KEEP_UP_TO:  # the same rows, the lookups done once (in memory, temporary)
            con.execute(f"create or replace temp table _rapport_staged_{entity} as {query}")
            query = f"select * from _rapport_staged_{entity}"
        names = tuple(d[0] for d in con.execute(f"select * from ({query}) limit 0").description)
        frame: pd.DataFrame | DuckDBBatch = DuckDBBatch(in_place, names, int(count), query, LINEAGE)
        return _staged(con, entity, frame)
    if ordered:
        # A batch's order is its files' lines: the first unexpected rows GX reports are the first
        # in the files, the same on every run (a query's own order varies with its threads).
        query += " order by " + ", ".join(f't."{c}"' for c in LINEAGE)
    frame = con.sql(query).df() if into is None else copy_batch(con, query, into)
    return _staged(con, entity, frame)


def _staged(con: duckdb.DuckDBPyConnection, entity: str, frame: pd.DataFrame | DuckDBBatch) -> Staged | None:
    if frame.empty if isinstance(frame, pd.DataFrame) else not frame.row_count:
        return None
    as_of = None
    if table_exists(con, "incoming", "_batch"):
        as_of = con.execute("select max(as_of) from incoming._batch").fetchall()[0][0]
    return Staged(frame, as_of, expected_rows(con, entity))
