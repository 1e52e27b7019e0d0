"""The export ledger in the warehouse (schema `exports`): one row per segment, destination
and run, the changes of the members exported (their fold, fold.py, is the baseline of the
next diff) and the webhook batches a receiver has acknowledged (so nothing is sent twice)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import duckdb

from pipelines.export import sizes
from pipelines.export.destinations.webhook import Batch
from pipelines.export.fold import folded
from pipelines.export.report import Delivery
from pipelines.killpoint import kill_point
from pipelines.warehouse import table_exists

# A day stores each pair's changes (~100k of its 2.09M JSON records at 1M customers; a whole list
# on a pair's first day and where a fold starts: fold.py). DuckDB's default
# string compression (dictionary + FSST) cost about half the ledger's CPU (analysis at insert and
# at the checkpoint); zstd on the records: insert + commit + close 5.9 -> 3.9 s CPU, 355 -> 167 MB
# a whole list, the 33 baseline reads the same (DECISIONLOG, i23export). A ledger made before keeps its
# layout (DuckDB cannot change a column's compression in place): same rows, older cost.
DDL = """
create schema if not exists exports;
create table if not exists exports.runs (
    run_id varchar, as_of_date date, segment varchar, destination varchar, status varchar,
    total integer, added integer, removed integer, changed integer, unchanged integer,
    files varchar, error varchar);
create table if not exists exports.members (
    destination varchar, segment varchar, as_of_date date, customer_id varchar,
    record varchar using compression zstd);
create table if not exists exports.member_starts (destination varchar, segment varchar, as_of_date date);
create table if not exists exports.webhook_batches (
    idempotency_key varchar primary key, destination varchar, segment varchar,
    as_of_date date, op varchar, records integer, run_id varchar);
"""


def ensure(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)
    con.execute(sizes.DDL)


def _exists(con: duckdb.DuckDBPyConnection) -> bool:
    """The ledger's tables (DDL makes all three at once) are there."""
    return all(table_exists(con, "exports", table) for table in ("runs", "members", "webhook_batches"))


def sent_keys(con: duckdb.DuckDBPyConnection) -> set[str]:
    if not _exists(con):
        return set()
    return {k for (k,) in con.execute("select idempotency_key from exports.webhook_batches").fetchall()}


def record_success(con: duckdb.DuckDBPyConnection, run: dict[str, object], members: str) -> None:
    """Replace this (destination, segment, as_of)'s changes by the Parquet file `members`
    (customer_id, record or null: pending.py, diff.py) and add the run row. A rerun or backfill
    of a date with later successes first stores the next one's list whole (fold.py): its fold
    started at or before this date, whose changes are replaced."""
    key = {"d": run["destination"], "s": run["segment"], "a": run["as_of_date"]}
    pair = "destination = $d and segment = $s"
    ((after,),) = con.execute(
        f"select min(as_of_date) from exports.runs where status = 'success' and {pair} and as_of_date > $a",
        key,
    ).fetchall()
    pair_key = {"d": key["d"], "s": key["s"]}
    starts = f"select as_of_date from exports.member_starts where {pair}"
    if after is not None and after not in {d for (d,) in con.execute(starts, pair_key).fetchall()}:
        next_key = {**pair_key, "n": after}
        target = "(select $d as destination, $s as segment, $n::date as as_of_date)"
        con.execute(f"create or replace temp table _ledger_next as {folded(con, target)}", next_key)
        con.execute(f"delete from exports.members where {pair} and as_of_date = $n", next_key)
        con.execute("insert into exports.members select * from _ledger_next")
        con.execute("insert into exports.member_starts values ($d, $s, $n)", next_key)
    for table in ("members", "member_starts"):
        con.execute(f"delete from exports.{table} where {pair} and as_of_date = $a", key)
    con.execute(
        "insert into exports.members select $d, $s, $a, customer_id, record from read_parquet($p)",
        {**key, "p": members},
    )
    record_run(con, run)


def record_run(con: duckdb.DuckDBPyConnection, run: dict[str, object]) -> None:
    columns = ", ".join(run)
    con.execute(f"insert into exports.runs ({columns}) values ({', '.join('$' + k for k in run)})", run)


def batch_recorder(
    con: duckdb.DuckDBPyConnection, destination: str, segment: str, as_of: date, run_id: str
) -> Callable[[Batch], None]:
    """Record each acknowledged batch at once (autocommit): a crash later in the run must
    not lead the next run to send it again."""

    def record(batch: Batch) -> None:
        con.execute(
            "insert or ignore into exports.webhook_batches values ($k, $d, $s, $a, $op, $n, $r)",
            {"k": batch.key, "d": destination, "s": segment, "a": as_of, "op": batch.op,
             "n": batch.records, "r": run_id},
        )  # fmt: skip
        kill_point("export:webhook_acked")

    return record


def run_row(
    run_id: str,
    as_of: date,
    destination: str,
    segment: str,
    delivery: Delivery | None = None,
    error: str | None = None,
) -> dict[str, object]:
    """A success row carries the counts and file checksums; a failed one only the error."""
    d = delivery
    return {
        "run_id": run_id, "as_of_date": as_of, "segment": segment, "destination": destination,
        "status": "success" if d else "failed",
        "total": d.total if d else None, "added": d.added if d else None,
        "removed": d.removed if d else None, "changed": d.changed if d else None,
        "unchanged": d.unchanged if d else None,
        "files": json.dumps(d.files, sort_keys=True) if d else None,
        "error": error[:500] if error else None,
    }  # fmt: skip
