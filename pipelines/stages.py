"""One function per pipeline stage: what an Airflow task or a CLI command calls.

Each stage is a function of (landing data, as-of date, run id) and settings; none
reads the clock. Stages run one after another and each opens the warehouse only
through pipelines.warehouse, so at most one process ever writes it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipelines.settings import Settings, get_settings


def safe_run_id(run_id: str) -> str:
    """Airflow run ids carry ':' and '+'; they name folders here."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)


def _settings(landing: str | None = None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"landing_dir": Path(landing)}) if landing else settings


def stage(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    from pipelines.load import stage_landing

    settings = _settings(landing)
    report = stage_landing(
        settings.landing, settings.warehouse_path, date.fromisoformat(as_of), safe_run_id(run_id)
    )
    return report.lines()


def gate_incoming(run_id: str) -> list[str]:
    from pipelines.quality import validate_incoming

    settings = get_settings()
    result = validate_incoming(settings.warehouse_path, safe_run_id(run_id), settings.quality_dir)
    result.raise_for_failures()
    return result.summary_lines()


def record_quality(run_id: str) -> int:
    """Keep this run's suite results in the warehouse (quality.validation_results)."""
    from pipelines.quality import append_results
    from pipelines.quality.report import load_results
    from pipelines.warehouse import connect

    settings = get_settings()
    results = load_results(settings.quality_dir / safe_run_id(run_id))
    with connect(settings.warehouse_path) as con:
        return append_results(con, results)


def commit(run_id: str) -> list[str]:
    from pipelines.load import commit_staged

    lines = commit_staged(get_settings().warehouse_path, safe_run_id(run_id)).lines()
    record_quality(run_id)
    return lines


def build(as_of: str) -> str:
    from pipelines.transform import build_marts

    return str(build_marts(get_settings(), date.fromisoformat(as_of)))


def export(as_of: str, run_id: str) -> list[str]:
    from pipelines.export import export_segments

    settings = get_settings()
    report = export_segments(
        settings.warehouse_path,
        settings.export_dir,
        settings.quality_dir,
        date.fromisoformat(as_of),
        safe_run_id(run_id),
    )
    record_quality(run_id)
    return report.lines()


def summary(as_of: str, run_id: str | None = None) -> list[str]:
    from pipelines.summary import run_summary

    return run_summary(get_settings(), date.fromisoformat(as_of), safe_run_id(run_id) if run_id else None)
