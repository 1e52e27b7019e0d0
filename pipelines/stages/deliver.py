"""Stages that hand the built day on: segment exports, dbt docs, the serving area, the report."""

from __future__ import annotations

from collections.abc import Callable

from pipelines.progress import reported
from pipelines.stages.run import day, safe_run_id, settings_for


@reported("export_segments")
def export(
    as_of: str,
    run_id: str,
    dry_run: bool = False,
    landing: str | None = None,
    connection_password: Callable[[str], str | None] | None = None,
) -> list[str]:
    """Export every configured segment to its destinations; `dry_run` only counts.

    `connection_password` looks up a webhook's `conn_id` where an orchestrator holds it (the DAG
    passes Airflow's); without it only AIRFLOW_CONN_<ID> environment connections are read.
    """
    from pipelines.export import export_segments
    from pipelines.ops.built_for import require_build

    settings = settings_for(landing)
    require_build(settings.warehouse_path, day(as_of), "export")
    report = export_segments(
        settings.warehouse_path,
        settings.export_dir,
        settings.quality_dir,
        day(as_of),
        safe_run_id(run_id),
        config_path=settings.destinations_file,
        dry_run=dry_run,
        connection_password=connection_password,
        keep_days=settings.export_keep_days,
    )
    per_destination: dict[str, int] = {}
    for delivery in report.deliveries:
        per_destination[delivery.destination] = per_destination.get(delivery.destination, 0) + delivery.total
    rows = ", ".join(f"{name} {total:,}" for name, total in per_destination.items()) or "no destination"
    headline = f"{'would export' if dry_run else 'exported'} rows per destination: {rows}"
    return [headline, *report.lines()]


@reported("generate_dbt_docs")
def generate_docs(as_of: str, landing: str | None = None) -> str:
    """`dbt docs generate` into dbt's target folder, which publish copies to the serving area."""
    from pipelines.ops.built_for import require_build
    from pipelines.serve.docs import generate_docs as generate

    settings, when = settings_for(landing), day(as_of)
    require_build(settings.warehouse_path, when, "publish")  # the docs of what publish will publish
    return f"dbt docs generated: {generate(settings, when)}"


@reported("publish_marts")
def publish(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    """Runs after the quality-gated export and generate_dbt_docs, so only a run that passed its
    gates reaches BI tools, with the docs of the marts it publishes."""
    from pipelines.ops.built_for import require_build
    from pipelines.serve import publish as publish_marts
    from pipelines.serve.docs import docs_target

    settings, when = settings_for(landing), day(as_of)
    require_build(settings.warehouse_path, when, "publish")
    docs = docs_target(settings)
    manifest = publish_marts(settings.warehouse_path, settings.serving_dir, when, safe_run_id(run_id), docs)
    return manifest.lines()


@reported("build_report")
def report(landing: str | None = None) -> str:
    from pipelines.report import write_report

    return f"report written: {write_report(settings_for(landing).serving_dir)}"


@reported("forget_erased")
def forget(run_id: str, as_of: str, landing: str | None = None) -> list[str]:
    """Erased people leave the raw tables, the warehouse file and every file under home."""
    from pipelines.forget import forget_erased

    return forget_erased(settings_for(landing), safe_run_id(run_id), day(as_of)).lines()


def summary(as_of: str, run_id: str | None = None, landing: str | None = None) -> list[str]:
    from pipelines.serve import Serving
    from pipelines.summary import quality_line, run_summary

    settings = settings_for(landing)
    run = safe_run_id(run_id) if run_id else None
    lines = run_summary(settings, day(as_of), run)
    lines.append(quality_line(settings, run))
    return lines + Serving(settings.serving_dir).lines()
