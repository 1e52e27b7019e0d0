"""After the real DAG run, the serving area holds this run's marts, dbt docs and report."""

from __future__ import annotations

import json
import subprocess

import duckdb
import polars as pl
import pytest

from pipelines.serve import Manifest, Serving
from tests.e2e import independent
from tests.report.browser import open_page
from tests.serve.factories import old_duckdb_python

pytestmark = pytest.mark.e2e


def test_dag_publishes_marts_docs_and_report(shop) -> None:
    settings, landing, as_of = shop
    serving = Serving(settings.serving_dir)
    manifest = Manifest.read(serving.current / "manifest.json")
    assert manifest.as_of_date == as_of and manifest.run_id.startswith("manual__")
    assert manifest.quality.suites > 0 and manifest.quality.suites == manifest.quality.suites_passed
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ('marts', 'segments')"
        ).fetchall()
        # erased people leave the marts, so nothing of theirs is published
        gone = sorted(independent.erased(landing, independent.people(landing)))
        assert gone, "the generated shop has erasures"
        con.register("_erased", pl.DataFrame({"customer_id": gone}, schema={"customer_id": pl.String}))
        expected = {}
        for (t,) in tables:
            columns = {c for (c,) in con.execute(f"select column_name from (describe {t})").fetchall()}
            if "customer_id" in columns:
                held = con.execute(f"select count(*) from {t} where customer_id in (select * from _erased)")
                assert held.fetchall() == [(0,)], t
            (expected[t],) = con.execute(f"select count(*) from {t}").fetchall()[0]
    assert manifest.rows() == expected
    assert sorted(p.name for p in serving.docs.iterdir()) == ["catalog.json", "index.html", "manifest.json"]
    assert '"model.rapport.customers"' in (serving.docs / "catalog.json").read_text()
    html = serving.report.read_text()
    assert as_of.isoformat() in html and "Segment sizes" in html


def test_old_client_reads_what_the_dag_published(shop) -> None:
    settings, _, _ = shop
    serving = Serving(settings.serving_dir)
    script = (
        "import duckdb, json, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "rows = con.execute('select segment, count(*) from marts.customer_rfm group by 1').fetchall(); "
        "print(json.dumps(rows))"
    )
    proc = subprocess.run(
        [str(old_duckdb_python()), "-c", script, str(serving.duckdb)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    rows = sum(n for _, n in json.loads(proc.stdout))
    assert rows == Manifest.read(serving.current / "manifest.json").rows()["marts.customer_rfm"]


def test_dbt_docs_open_from_a_file_and_show_a_model_page(shop, tmp_path) -> None:
    """Published with --static: no fetch of manifest.json, which file:// pages cannot do."""
    settings, _, _ = shop
    docs = Serving(settings.serving_dir).docs / "index.html"
    page = open_page(docs, tmp_path / "docs.png", settle_s=4, fragment="#!/model/model.rapport.customer_rfm")
    assert "customer_rfm" in page.text, page.text[:500]
    assert "Recency quintile, 1-5: 5 = the most recent fifth of buyers" in page.text
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests


def test_report_names_the_best_slipping_and_loss_making_customers(shop) -> None:
    """On the DAG's own marts: each table's people and amounts, checked against polars."""
    import polars as pl

    from pipelines.report.money import Money
    from pipelines.report.names import name_tables

    settings, _, _ = shop
    serving = Serving(settings.serving_dir)
    parquet = serving.current / "parquet" / "marts"
    customers = pl.read_parquet(parquet / "customers.parquet")
    profit = pl.read_parquet(parquet / "customer_profitability.parquet").join(customers, on="customer_id")
    money = Money("EUR", "en")
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        tables = dict(name_tables(con, money))
    best, _, slipping, losing = (tables[t] for t in tables)

    def person(row: dict) -> str:
        return " ".join(p for p in (row["first_name"], row["last_name"]) if p) or row["customer_id"]

    top = customers.filter(pl.col("orders") > 0).sort(
        ["net_revenue", "customer_id"], descending=[True, False]
    )
    cells = best.data[0].cells.values
    assert list(cells[0]) == [person(r) for r in top.head(10).iter_rows(named=True)]
    assert list(cells[2]) == [money(float(v)) for v in top.head(10)["net_revenue"]]

    losers = profit.filter(pl.col("contribution") < 0).sort(["contribution", "customer_id"])
    assert losers.height > 0, "the demo shop has loss-making customers"
    cells = losing.data[0].cells.values
    assert list(cells[0]) == [person(r) for r in losers.head(10).iter_rows(named=True)]
    costs = ["cost_of_goods", "shipping_cost", "cost_to_serve", "marketing_cost"]
    first = losers.row(0, named=True)
    assert cells[4][0] == max(costs, key=lambda c: first[c]).replace("_", " ")
    assert not isinstance(slipping, str) and len(slipping.data[0].cells.values[0]) > 0
