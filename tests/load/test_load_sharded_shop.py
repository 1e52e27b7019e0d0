"""The loader takes several files per entity and day: a shop generated in shards (each day's
rows in one part file per shard) loads whole, its money reconciles with the generator's truth,
and a dirty one quarantines exactly the defects the generator lists, file by file."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import polars as pl

from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.load import commit_staged, stage_landing
from tests.load.support import assert_quarantine_is_the_defects, query

WINDOW = {"start": date(2025, 10, 1), "end": date(2026, 1, 31)}


def _load(tmp_path: Path, **options: float) -> tuple[Path, Path]:
    landing, warehouse = tmp_path / "landing", tmp_path / "warehouse.duckdb"
    generate_shop(landing, 900, seed=6, shard_size=300, **WINDOW, **options)  # type: ignore[arg-type]
    stage_landing(landing, warehouse, default_as_of(landing), "r1")
    commit_staged(warehouse, "r1")
    return landing, warehouse


def test_a_sharded_shop_loads_every_part_and_its_totals_reconcile(tmp_path: Path) -> None:
    landing, warehouse = _load(tmp_path)
    truth = json.loads((landing / "_truth" / "summary.json").read_text())
    parts = list((landing / "orders").glob("date=*/orders-00[12].csv"))
    assert len(parts) > 50, "days with orders from more than one shard"
    ledger = query(
        warehouse, "select source_file, rows_in, rows_loaded, rows_quarantined from raw._load_ledger"
    )
    files = {p.relative_to(landing).as_posix() for p in landing.rglob("*.csv") if p.parts[-2] != "_truth"}
    assert {row[0] for row in ledger} == files
    assert all(rows_in == loaded and quarantined == 0 for _, rows_in, loaded, quarantined in ledger)
    (orders, customers), = query(
        warehouse,
        "select count(*) filter (where status <> 'cancelled'), count(distinct customer_id) from raw.orders",
    )  # fmt: skip
    assert orders == truth["orders"]
    assert customers <= query(warehouse, "select count(distinct customer_id) from raw.customers")[0][0]
    assert (
        query(warehouse, "select count(distinct customer_id) from raw.customers")[0][0] == truth["customers"]
    )
    (net,), = query(
        warehouse,
        "select (select sum(amount) from raw.orders where status <> 'cancelled')"
        " - (select sum(refund_amount) from raw.returns)",
    )  # fmt: skip
    assert net == Decimal(truth["net_revenue"])


def test_a_dirty_sharded_shop_quarantines_exactly_the_listed_defects(tmp_path: Path) -> None:
    landing, warehouse = _load(tmp_path, dirty_rate=0.03)
    rows = query(warehouse, "select distinct source_file, source_line, reason from raw._quarantine")
    found = pl.DataFrame(rows, schema=["source_file", "source_line", "reason"], orient="row")
    truth = assert_quarantine_is_the_defects(landing, found)
    assert truth["source_file"].str.contains(r"-00[012]\.csv$").all()
    assert truth["source_file"].str.contains("-002.csv").any()
