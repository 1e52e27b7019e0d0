"""`rapport report`: the report of the current published version, compared with the previous one."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from pipelines.files import atomic_write
from pipelines.report.charts import lifecycle_stages, rfm_grid, segments_chart, value_curves
from pipelines.report.clv import clv_sections
from pipelines.report.kpis import compute_kpis, load_previous, segment_sizes
from pipelines.report.migration import migration, migration_flows
from pipelines.report.money import shop_money
from pipelines.report.names import name_tables
from pipelines.report.page import kpi_cards, quality_table, render
from pipelines.serve.layout import DUCKDB_NAME, Serving
from pipelines.serve.manifest import Manifest
from pipelines.serve.swap import replace_with
from pipelines.serve.sweep import sweep_serving
from pipelines.settings import get_settings


def write_report(root: Path) -> Path:
    """Reads only the serving area (never the warehouse), so it can run beside any pipeline task;
    under the serving lock, after sweeping what an interrupted publish or report left."""
    serving = Serving(root)
    with serving.locked():
        sweep_serving(serving)
        return _write(serving)


def _write(serving: Serving) -> Path:
    version = serving.current_version()
    if version is None:
        raise FileNotFoundError(f"nothing published under {serving.root} yet: run the pipeline first")
    vdir = serving.version_dir(version)
    manifest = Manifest.read(vdir / "manifest.json")
    prev = manifest.previous_version
    before = load_previous(serving.history / f"{prev}.kpis.json" if prev else None)
    previous_rfm = serving.history / f"{prev}.rfm.parquet" if prev else None
    with duckdb.connect(str(vdir / DUCKDB_NAME), read_only=True) as con:
        kpis, segments = compute_kpis(con, manifest.as_of_date), segment_sizes(con)
        money = shop_money(con, get_settings().currency, get_settings().money_locale)
        pareto, whale = value_curves(con)
        sections = [
            *name_tables(con, money),
            ("Segment sizes", segments_chart(segments, before.get("segments", {}))),
            ("RFM grid: recency score by frequency score (5 is best on both)", rfm_grid(con, money)),
            ("Pareto curve: cumulative share of revenue", pareto),
            (
                "Whale curve: cumulative share of profit"
                + (" (assumed cost of goods)" if kpis.get("assumed_cost_of_goods") else ""),
                whale,
            ),
            ("Segment migration since the previous run: who moved where", migration(con, previous_rfm)),
            ("The largest flows between segments since the previous run", migration_flows(con, previous_rfm)),
            ("Lifecycle stages (each customer's gap against their own order rhythm)", lifecycle_stages(con)),
            *clv_sections(con),
        ]
    record = {
        "version": version,
        "as_of_date": manifest.as_of_date.isoformat(),
        "kpis": kpis,
        "segments": segments,
    }
    (serving.history / f"{version}.kpis.json").write_text(json.dumps(record, indent=2))
    head = kpi_cards(kpis, before.get("kpis", {}), money)
    html = render(manifest, head, sections, quality_table(manifest))
    out = vdir / "report.html"
    atomic_write(out, html)
    replace_with(serving.report, out)
    return serving.report
