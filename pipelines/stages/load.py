"""Stages that bring a day's data in: extract, stage, gate, commit, record the quality results."""

from __future__ import annotations

from datetime import timedelta

from pipelines.progress import reported
from pipelines.stages.run import day, safe_run_id, settings_for


@reported("extract_shop_db")
def extract(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    """Land the shop database's changed rows as files; a no-op when no shop DB is configured."""
    day(as_of)  # the first task: a run without a logical date stops here, in one line
    settings = settings_for(landing)
    if not settings.shop_db_url:
        return ["extract: no shop database configured (RAPPORT_SHOP_DB_URL), landing files only"]
    from pipelines.extract import extract_shop

    report = extract_shop(
        settings.shop_db_url,
        settings.shop_db_schema,
        settings.landing,
        day(as_of),
        safe_run_id(run_id),
        lookback=timedelta(hours=settings.extract_lookback_hours),
        attempts=settings.extract_connect_attempts,
        wait_seconds=settings.extract_retry_seconds,
    )
    return report.lines()


@reported("stage_landing")
def stage(as_of: str, run_id: str, landing: str | None = None) -> list[str]:
    from pipelines.load import stage_landing
    from pipelines.load.config import load_landing_config
    from pipelines.load.errors import BatchRejected
    from pipelines.quality.rejected import record_rejection

    settings = settings_for(landing)
    try:
        report = stage_landing(
            settings.landing,
            settings.warehouse_path,
            day(as_of),
            safe_run_id(run_id),
            abandon_after=timedelta(minutes=settings.staged_batch_abandon_minutes),
            config=load_landing_config(settings.landing_config),
            max_lost_share=settings.max_quarantined_value_share,
        )
    except BatchRejected as exc:  # kept for `rapport quality` and the quality page
        record_rejection(settings.quality_dir, safe_run_id(run_id), exc.source_file, exc.rule)
        raise
    return report.lines()


@reported("gate_incoming_batch")
def gate_incoming(run_id: str, landing: str | None = None) -> list[str]:
    """Every staged entity with a suite (orders, customers, order_lines, returns, NPS, e-mail)."""
    from pipelines.quality import gate_incoming_batch

    settings = settings_for(landing)
    return gate_incoming_batch(settings.warehouse_path, safe_run_id(run_id), settings.quality_dir)


@reported("commit_load")
def commit(run_id: str, landing: str | None = None) -> list[str]:
    from pipelines.load import commit_staged

    return commit_staged(settings_for(landing).warehouse_path, safe_run_id(run_id)).lines()


@reported("record_quality_results")
def record_quality(run_id: str, landing: str | None = None, *, with_quarantine: bool = True) -> list[str]:
    """This run's suite results into quality.validation_results (a rerun replaces its rows) and,
    after a commit, the quarantine on the run's quality page; an export alone has no quarantine."""
    from pipelines.quality import append_results
    from pipelines.quality.quarantined import write_quarantine
    from pipelines.quality.report import load_results, write_index
    from pipelines.warehouse import connect

    settings, run = settings_for(landing), safe_run_id(run_id)
    results = load_results(settings.quality_dir / run)
    with connect(settings.warehouse_path) as con:
        rows = append_results(con, results)
    if with_quarantine:
        write_quarantine(settings.warehouse_path, settings.quality_dir, run)
        write_index(settings.quality_dir / run)  # its summary now has the quarantine
    return [f"quality results recorded: {len(results)} suite(s), {rows:,} expectation row(s)"]
