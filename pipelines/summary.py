"""What a person wants to read when a run ends: where things are, how many per segment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.load import quarantine_summary
from pipelines.quality.report import last_run_dir, load_results
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


def quality_line(settings: Settings, run_id: str | None = None) -> str:
    """One line for the run summary: suites failed, warnings, rows quarantined."""
    run_dir = last_run_dir(settings.quality_dir, run_id)
    results = load_results(run_dir) if run_dir else []
    warnings = sum(len(r.warnings) for r in results)
    failed = sum(not r.success for r in results)
    frame = quarantine_summary(settings.warehouse_path) if settings.warehouse_path.exists() else None
    quarantined = int(frame["rows"].sum()) if frame is not None and frame.height else 0
    top = frame.sort("rows", descending=True).row(0) if frame is not None and frame.height else None
    example = f", most '{top[1]}' e.g. {top[3]}" if top else ""
    # a run over unchanged files validates no incoming batch: say so, not only a smaller count
    why = (
        ""
        if any(r.batch.startswith("incoming.") for r in results)
        else " (no incoming-batch suite: nothing new staged)"
    )
    return (
        f"  quality:             {len(results)} suite(s){why}, {failed} failed, {warnings} warning(s); "
        f"{quarantined:,} row(s) in quarantine{example} (details: rapport quality)"
    )
