"""The report in a real headless Chromium: every chart drawn with data, no console errors, no fetches."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.report import write_report
from pipelines.serve import publish
from pipelines.settings import get_settings
from tests.report.browser import CHROMIUM, open_page
from tests.serve.factories import build_warehouse


def test_report_renders_every_chart_offline_without_console_errors(tmp_path: Path) -> None:
    assert CHROMIUM.exists(), "Chromium missing: `make test-deps` installs Debian's chromium package"
    for seed in (0, 1):  # two runs, so the migration and the deltas have something to show
        warehouse = build_warehouse(tmp_path / "w.duckdb", customers=3000, seed=seed)
        publish(warehouse, tmp_path / "serving", date(2025, 7, 1), f"run_{seed}")
    report = write_report(tmp_path / "serving")
    page = open_page(report, tmp_path / "report.png")
    assert page.errors == []
    assert [c["id"] for c in page.charts] == [f"chart-{i}" for i in range(15)]  # 15 figures
    for chart in page.charts:
        assert chart["traces"] > 0 and chart["points"] > 0 and chart["drawn"] >= chart["traces"], chart
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests
    assert (tmp_path / "report.png").stat().st_size > 50_000


def _grouped(whole: int, indian: bool) -> str:
    """Digit grouping written out independently of Babel: 1,23,45,678 (India) or 12,345,678."""
    digits, groups = str(abs(whole)), []
    groups.append(digits[-3:])
    digits = digits[:-3]
    size = 2 if indian else 3
    while digits:
        groups.insert(0, digits[-size:])
        digits = digits[:-size]
    return ("-" if whole < 0 else "") + ",".join(groups)


@pytest.mark.parametrize(("currency", "symbol", "indian"), [("INR", "₹", True), ("EUR", "€", False)])
def test_money_is_shown_in_the_shops_currency_and_grouping(
    tmp_path: Path, currency: str, symbol: str, indian: bool
) -> None:
    warehouse = build_warehouse(tmp_path / "w.duckdb", customers=3000, seed=0)
    with duckdb.connect(str(warehouse)) as con:  # the orders' own currency decides, not a setting
        con.execute(
            f"create or replace table marts.orders as select *, '{currency}' as currency from marts.orders"
        )
        con.execute("update marts.customers set net_revenue = net_revenue * 12345")  # crores, lakhs
        (revenue,) = con.execute("select sum(net_revenue)::double from marts.customers").fetchall()[0]
    get_settings.cache_clear()  # no RAPPORT_CURRENCY here
    publish(warehouse, tmp_path / "serving", date(2025, 7, 1), "run_0")
    page = open_page(write_report(tmp_path / "serving"), tmp_path / "report.png")
    assert page.errors == []
    assert revenue > 1_00_00_000
    shown = f"{symbol}{_grouped(round(revenue), indian)}"
    assert f"Net revenue\n{shown}" in page.text, page.text[:600]
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests
