"""One function per pipeline stage: what an Airflow task or a CLI command calls.

Each stage is a function of (landing data, as-of date, run id) and settings; none
reads the clock. Stages run one after another and each opens the warehouse only
through pipelines.warehouse, so at most one process ever writes it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipelines.progress import reported
from pipelines.settings import Settings, get_settings


def safe_run_id(run_id: str) -> str:
    """Airflow run ids carry ':' and '+'; they name folders here."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)


class NoLogicalDate(ValueError):
    """A DAG run triggered without a logical date has no day to build as of."""


def _day(as_of: str) -> date:
    """The run's as-of date; Airflow passes ds=None (str: "None") to a run without a logical date."""
    if as_of in ("", "None"):
        raise NoLogicalDate(
            "this run has no logical date, so no as-of date: trigger it with one "
            "(airflow dags trigger rapport_daily --logical-date YYYY-MM-DD) or run a backfill"
        )
    return date.fromisoformat(as_of)


def _settings(landing: str | None = None) -> Settings:
    settings = get_settings()
    return settings.model_copy(update={"landing_dir": Path(landing)}) if landing else settings


@reported("extract_shop_db")
def extract(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    """Land the shop database's changed rows as files; a no-op when no shop DB is configured."""
    _day(as_of)  # the first task: a run without a logical date stops here, in one line
    settings = _settings(landing)
    if not settings.shop_db_url:
        return ["extract: no shop database configured (RAPPORT_SHOP_DB_URL), landing files only"]
    from datetime import timedelta

    from pipelines.extract import extract_shop

    report = extract_shop(
        settings.shop_db_url,
        settings.shop_db_schema,
        settings.landing,
        _day(as_of),
        safe_run_id(run_id),
        lookback=timedelta(hours=settings.extract_lookback_hours),
        attempts=settings.extract_connect_attempts,
        wait_seconds=settings.extract_retry_seconds,
    )
    return report.lines()


@reported("stage_landing")
def stage(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    from datetime import timedelta

    from pipelines.load import stage_landing
    from pipelines.load.config import load_landing_config
    from pipelines.load.errors import BatchRejected
    from pipelines.quality.rejected import record_rejection

    settings = _settings(landing)
    try:
        report = stage_landing(
            settings.landing,
            settings.warehouse_path,
            _day(as_of),
            safe_run_id(run_id),
            abandon_after=timedelta(minutes=settings.staged_batch_abandon_minutes),
            config=load_landing_config(settings.landing_config),
            max_lost_share=settings.max_quarantined_value_share,
        )
    except BatchRejected as exc:  # kept for `rapport quality` and the quality page
        record_rejection(settings.quality_dir, safe_run_id(run_id), exc.source_file, exc.rule)
        raise
    return report.lines()


@reported("gate_incoming_orders")
def gate_incoming(run_id: str) -> list[str]:
    """Every staged entity with a suite (orders, customers, order_lines, returns, NPS, e-mail)."""
    from pipelines.quality import gate_incoming_batch

    settings = get_settings()
    return gate_incoming_batch(settings.warehouse_path, safe_run_id(run_id), settings.quality_dir)


def record_quality(run_id: str) -> int:
    """Keep this run's suite results in the warehouse (quality.validation_results)."""
    from pipelines.quality import append_results
    from pipelines.quality.report import load_results
    from pipelines.warehouse import connect

    settings = get_settings()
    results = load_results(settings.quality_dir / safe_run_id(run_id))
    with connect(settings.warehouse_path) as con:
        return append_results(con, results)


@reported("commit_load")
def commit(run_id: str) -> list[str]:
    from pipelines.load import commit_staged
    from pipelines.quality.quarantined import write_quarantine
    from pipelines.quality.report import write_index

    settings = get_settings()
    lines = commit_staged(settings.warehouse_path, safe_run_id(run_id)).lines()
    record_quality(run_id)
    write_quarantine(settings.warehouse_path, settings.quality_dir, safe_run_id(run_id))
    write_index(settings.quality_dir / safe_run_id(run_id))  # its summary now has the quarantine
    return lines


@reported("dbt_build")
def build(as_of: str, full_refresh: bool = False) -> str:
    from pipelines.ops.built_for import record_build
    from pipelines.ops.freshness import check_freshness
    from pipelines.transform import build_marts, build_summary

    settings, day = get_settings(), _day(as_of)
    record_build(settings.warehouse_path, day, "running")  # export/publish refuse a half-built state
    check_freshness(settings, day)
    target = build_marts(settings, day, full_refresh=full_refresh)
    record_build(settings.warehouse_path, day, "marts")  # built once fit_clv and build_clv ran
    return build_summary(target)


@reported("fit_clv")
def fit_clv(as_of: str) -> list[str]:
    """BG/NBD + Gamma-Gamma on marts.customer_clv_summary, written to the CLV marts."""
    from datetime import UTC, datetime

    from pipelines.clv import fit_clv as fit
    from pipelines.ops.built_for import record_build, require_build

    settings, day = get_settings(), _day(as_of)
    require_build(settings.warehouse_path, day, "fit_clv", ("marts", "fitted", "built"))
    record_build(settings.warehouse_path, day, "running")
    fitted_at = datetime.now(UTC).replace(tzinfo=None)  # audit only: no other column reads the clock
    lines = fit(
        settings.warehouse_path, day, settings.clv_discount_rate, fitted_at, settings.clv_purchase_model
    )
    record_build(settings.warehouse_path, day, "fitted")
    return lines


@reported("dbt_build_clv")
def build_clv(as_of: str) -> str:
    """The dbt models and tests downstream of the CLV marts (selector after_clv), after fit_clv."""
    from pipelines.ops.built_for import record_build, require_build
    from pipelines.transform import build_after_clv, build_summary

    settings, day = get_settings(), _day(as_of)
    require_build(settings.warehouse_path, day, "build_clv", ("fitted", "built"))
    record_build(settings.warehouse_path, day, "running")
    target = build_after_clv(settings, day)
    record_build(settings.warehouse_path, day, "built")
    return build_summary(target)


@reported("export_segments")
def export(as_of: str, run_id: str, dry_run: bool = False) -> list[str]:
    """Export every configured segment to its destinations; `dry_run` only counts."""
    from pipelines.export import export_segments
    from pipelines.ops.built_for import require_build

    settings = get_settings()
    require_build(settings.warehouse_path, _day(as_of), "export")
    report = export_segments(
        settings.warehouse_path,
        settings.export_dir,
        settings.quality_dir,
        _day(as_of),
        safe_run_id(run_id),
        config_path=settings.destinations_file,
        dry_run=dry_run,
    )
    if not dry_run:
        record_quality(run_id)
    per_destination: dict[str, int] = {}
    for delivery in report.deliveries:
        per_destination[delivery.destination] = per_destination.get(delivery.destination, 0) + delivery.total
    rows = ", ".join(f"{name} {total:,}" for name, total in per_destination.items()) or "no destination"
    headline = f"{'would export' if dry_run else 'exported'} rows per destination: {rows}"
    return [headline, *report.lines()]


@reported("publish_marts")
def publish(as_of: str, run_id: str) -> list[str]:
    """Runs after the quality-gated export, so only a run that passed its gates reaches BI tools."""
    from pipelines.ops.built_for import require_build
    from pipelines.serve import publish as publish_marts
    from pipelines.serve.docs import generate_docs

    settings, day = get_settings(), _day(as_of)
    require_build(settings.warehouse_path, day, "publish")
    docs = generate_docs(settings, day)
    manifest = publish_marts(settings.warehouse_path, settings.serving_dir, day, safe_run_id(run_id), docs)
    return manifest.lines()


@reported("build_report")
def report() -> str:
    from pipelines.report import write_report

    return f"report written: {write_report(get_settings().serving_dir)}"


def summary(as_of: str, run_id: str | None = None) -> list[str]:
    from pipelines.serve import Serving
    from pipelines.summary import run_summary

    settings = get_settings()
    lines = run_summary(settings, _day(as_of), safe_run_id(run_id) if run_id else None)
    from pipelines.quality.cli_report import summary_line

    lines.append(summary_line(settings, safe_run_id(run_id) if run_id else None))
    return lines + Serving(settings.serving_dir).lines()
