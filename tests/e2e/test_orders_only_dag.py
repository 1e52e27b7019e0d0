"""The real DAG on a landing folder that holds only the contract's four order columns.

Moved out of test_daily_dag.py so that it does not wait for the session `shop` run, of which it
only read the landing files: it generates the same shop (1,500 customers, seed 11) itself, so
xdist can run it on the other worker while that run goes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.local_airflow import run_dag
from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.settings import Settings
from tests.e2e import independent

pytestmark = pytest.mark.e2e


def test_orders_only_landing_runs_end_to_end(tmp_path: Path) -> None:
    """The contract needs only orders(order_id, customer_id, ordered_at, amount)."""
    landing = tmp_path / "shop"
    generate_shop(landing, customers=1500, seed=11)
    orders = independent.read(landing, "orders").select("order_id", "customer_id", "ordered_at", "amount")
    own = tmp_path / "my_shop"
    own.mkdir()
    orders.write_csv(own / "orders.csv")
    settings = Settings(home=tmp_path / "home")
    as_of = default_as_of(own)
    proc = run_dag(settings, as_of, own)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        total = con.sql("select sum(net_revenue) as s, count(*) as n from marts.customers").pl()
    assert (
        total["s"][0]
        == orders.filter(pl.col("ordered_at").str.to_datetime() < pl.lit(as_of).cast(pl.Datetime))["amount"]
        .cast(pl.Decimal(18, 2))
        .sum()
    )
    assert total["n"][0] == orders["customer_id"].n_unique()
    champions = settings.export_dir / as_of.isoformat() / "crm" / "champions.csv"
    with champions.open(encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == [], "no consent known, so nobody is exported"
