"""The report in a real headless Chromium: every chart drawn with data, no console errors, no fetches."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.report import write_report
from pipelines.serve import publish
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
    assert [c["id"] for c in page.charts] == [f"chart-{i}" for i in range(6)]
    for chart in page.charts:
        assert chart["traces"] > 0 and chart["points"] > 0 and chart["drawn"] >= chart["traces"], chart
    assert all(url.startswith(("file://", "data:")) for url in page.requests), page.requests
    assert (tmp_path / "report.png").stat().st_size > 50_000
