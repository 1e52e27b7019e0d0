"""How a day's ledger members reach the warehouse file: by one insert for every pair.

An insert per pair put a small pair's rows behind a large pair's row groups, and DuckDB then
logged them (and the large pair's unfinished row group) in the WAL at the commit, to be written
a second time by the checkpoint: at 1M customers 336 MB of WAL for 2.1M records, ~1.9 s CPU."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines.export import ledger
from pipelines.export.report import Delivery


def _pair_file(path: Path, pair: int, rows: int) -> str:
    ids = pl.Series("customer_id", [f"c{pair}-{k:07d}" for k in range(rows)])
    record = pl.format('{{"email":"{}@example.com","pair":{}}}', pl.col("customer_id"), pl.lit(pair))
    frame = pl.DataFrame([ids]).with_columns(record.alias("record"))
    frame.write_parquet(path, compression="lz4", statistics=False)
    return str(path)


def test_a_days_members_are_written_to_the_file_not_logged_in_the_wal(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    sizes = (130_000, 20_000, 130_000)  # a row group is 122,880 rows
    files = [_pair_file(tmp_path / f"{i}.parquet", i, n) for i, n in enumerate(sizes)]
    runs = [
        ledger.run_row("r1", date(2024, 3, 1), "lake", f"s{i}", Delivery("lake", f"s{i}", n, n, 0, 0, 0))
        for i, n in enumerate(sizes)
    ]
    con = duckdb.connect(str(warehouse))
    try:
        ledger.ensure(con)
        con.execute("insert into exports.members values ('lake', 's1', '2024-03-01', 'old', '{}')")
        con.execute("checkpoint")
        con.execute("begin transaction")
        ledger.record_successes(con, runs, files)
        con.execute("commit")
        wal = Path(f"{warehouse}.wal")
        logged = wal.stat().st_size if wal.exists() else 0
        assert logged < os.path.getsize(warehouse) / 50  # per-pair inserts: 2x the file's size
        stored = con.sql(
            "select segment, customer_id, record from exports.members order by segment, customer_id"
        ).pl()
        runs_kept = con.sql("select segment, status, total from exports.runs order by segment").fetchall()
    finally:
        con.close()
    expected = pl.concat(
        pl.read_parquet(f).select(pl.lit(f"s{i}").alias("segment"), "customer_id", "record")
        for i, f in enumerate(files)
    ).sort("segment", "customer_id")
    assert stored.equals(expected)  # the day's earlier members of a pair were replaced
    assert runs_kept == [(f"s{i}", "success", n) for i, n in enumerate(sizes)]
