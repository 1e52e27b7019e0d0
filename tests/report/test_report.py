"""The HTML report: exact KPIs, comparison with the previous run, graceful missing sections, offline."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.report import write_report
from pipelines.report.kpis import compute_kpis
from pipelines.report.migration import migration, migration_flows
from pipelines.report.money import Money
from pipelines.serve import Serving, publish
from tests.serve.factories import build_warehouse

AS_OF = date(2025, 7, 1)


def _publish(tmp_path: Path, seed: int = 0, extras: bool = True) -> Serving:
    warehouse = build_warehouse(tmp_path / "w.duckdb", seed=seed, extras=extras)
    publish(warehouse, tmp_path / "serving", AS_OF, f"run_{seed}_{extras}")
    return Serving(tmp_path / "serving")


def test_kpis_match_an_independent_polars_computation(tmp_path: Path) -> None:
    serving = _publish(tmp_path)
    customers = pl.read_parquet(serving.current / "parquet/marts/customers.parquet")
    profit = pl.read_parquet(serving.current / "parquet/marts/customer_profitability.parquet")
    buyers = customers.filter(pl.col("orders") > 0).sort("net_revenue", descending=True)
    top = buyers.head(-(-buyers.height * 2 // 10))  # ceil(20%)
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        kpis = compute_kpis(con, AS_OF)
    cutoff = pl.lit(AS_OF - timedelta(days=365)).cast(pl.Datetime)
    assert kpis["customers"] == customers.height
    assert kpis["active_customers"] == customers.filter(pl.col("last_order_at") >= cutoff).height
    assert kpis["net_revenue"] == pytest.approx(float(customers["net_revenue"].sum()))
    assert kpis["top20_share"] == pytest.approx(float(top["net_revenue"].sum() / buyers["net_revenue"].sum()))
    assert kpis["contribution"] == pytest.approx(float(profit["contribution"].sum()))


def test_missing_marts_are_noted_and_light_up_once_published(tmp_path: Path) -> None:
    html = write_report(_publish(tmp_path, extras=False).root).read_text()
    assert "Not available: marts.customer_profitability is not published yet." in html
    assert "Not available: marts.customer_lifecycle is not published yet." in html
    assert "Not available: marts.customer_clv is not published yet." in html
    assert "no previous published run" in html

    serving = _publish(tmp_path, seed=1, extras=True)
    html = write_report(serving.root).read_text()
    assert "Not available" not in html
    assert "since previous run" in html
    assert len(re.findall(r'class="plotly-graph-div"', html)) == 15  # 7 charts, 4 CLV, 4 name tables
    assert "Ana 1 Iyer" in html, "the top customer by predicted CLV is named"
    history = sorted(serving.history.glob("*.kpis.json"))
    assert len(history) == 2
    assert json.loads(history[0].read_text())["kpis"]["contribution"] is None
    assert json.loads(history[1].read_text())["kpis"]["contribution"] is not None


def test_report_is_self_contained(tmp_path: Path) -> None:
    html = write_report(_publish(tmp_path).root).read_text()
    assert html.count("<script") >= 2
    # plotly.js itself mentions CDN URLs for map features we never use; tests/report/test_browser.py
    # checks that the page really fetches nothing
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|<img[^>]+src=\"http|@import", html)
    assert "Plotly" in html  # the library itself is inline


def test_migration_counts_every_customer_once(tmp_path: Path) -> None:
    _publish(tmp_path, seed=0)
    first = Serving(tmp_path / "serving")
    previous = next(first.history.glob("*.rfm.parquet"))
    serving = _publish(tmp_path, seed=1)  # every customer moves to the next segment
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        fig = migration(con, previous)
        (buyers,) = con.execute("select count(*) from marts.customer_rfm").fetchall()[0]
    assert not isinstance(fig, str)
    heat = fig.data[0]
    z = [[v or 0 for v in row] for row in heat.z]  # the stayers' diagonal is blank (None)
    assert sum(map(sum, z)) == buyers
    diagonal = [heat.z[i][list(heat.x).index(name)] for i, name in enumerate(heat.y) if name in heat.x]
    assert diagonal and all(v is None for v in diagonal)
    assert "0 stayed in their segment" in fig.layout.title.text
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        flows = migration_flows(con, previous, largest=3)
    assert not isinstance(flows, str)
    values = list(flows.data[0].link.value)
    movers = sorted((v for row in z for v in row if v), reverse=True)
    assert values == movers[:3]  # the three largest flows, largest first
    assert z[list(heat.y).index("Champions")][list(heat.x).index("Loyal")] > 0


def test_a_margin_on_default_cost_of_goods_says_so() -> None:
    from pipelines.report.page import kpi_cards

    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.execute(
            "create table marts.customers as select * from (values (10.0, 1, timestamp '2025-06-01'),"
            " (30.0, 1, timestamp '2025-06-02')) t(net_revenue, orders, last_order_at)"
        )
        con.execute(
            "create table marts.customer_profitability as select * from (values (10.0, 5.0, 'defaulted'),"
            " (30.0, 15.0, 'measured')) t(net_sales, contribution, cost_of_goods_source)"
        )
        kpis = compute_kpis(con, AS_OF)
        assert kpis["assumed_cost_of_goods"] == pytest.approx(0.25)
        assert "Contribution margin % (assumed cost of goods)" in kpi_cards(kpis, {}, Money("EUR", "en"))
        con.execute("update marts.customer_profitability set cost_of_goods_source = 'measured'")
        kpis = compute_kpis(con, AS_OF)
        assert kpis["assumed_cost_of_goods"] == 0
        assert "assumed" not in kpi_cards(kpis, {}, Money("EUR", "en"))
