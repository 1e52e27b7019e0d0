"""What a person wants to read when a run ends: where things are, how many per segment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.settings import Settings
from pipelines.warehouse import connect


def _quality_report(settings: Settings, run_id: str | None) -> Path:
    """The run's own report, or (from the CLI, which does not know Airflow's run id) the newest."""
    if run_id:
        return settings.quality_dir / run_id / "index.html"
    reports = sorted(settings.quality_dir.glob("*/index.html"), key=lambda p: p.stat().st_mtime)
    return reports[-1] if reports else settings.quality_dir


def run_summary(settings: Settings, as_of: date, run_id: str | None = None) -> list[str]:
    with connect(settings.warehouse_path, read_only=True) as con:
        segments = con.execute(
            "select segment, count(*) from marts.customer_rfm group by segment order by 2 desc, 1"
        ).fetchall()
        customers, revenue = con.execute(
            "select count(*), coalesce(sum(net_revenue), 0) from marts.customers"
        ).fetchall()[0]
    exports = settings.export_dir / as_of.isoformat()
    quality = _quality_report(settings, run_id)
    lines = [
        f"rapport run as of {as_of.isoformat()}",
        f"  warehouse (marts.*): {settings.warehouse_path}",
        f"  exports:             {exports}",
        f"  quality report:      {quality}",
        f"  customers: {customers:,}   net revenue: {revenue:,.2f}",
        "  customers per RFM segment:",
        *(f"    {name:<20} {count:>9,}" for name, count in segments),
    ]
    return lines
