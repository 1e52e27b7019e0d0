"""rapport_daily: landing files → DuckDB → dbt marts → quality gate → segment exports.

Runs once a day for the day that just ended; the run's logical date is the
as-of date of every mart and export, so a rerun of a date reproduces it. Tasks
run one after another, but generate_dbt_docs runs beside export_segments and
record_export_quality_results: the DuckDB warehouse takes one writer or any number
of readers, and pipelines.warehouse's lock makes a writer wait for the readers (and
them for it), so docs (read-only) overlaps the export's reads. `max_active_runs=1`
keeps two runs from overlapping.

Params: `landing` overrides the landing folder (default: RAPPORT_LANDING_DIR or
<RAPPORT_HOME>/landing); every task's settings carry it.

Each task is one `pipelines.stages` function, made a task by `stage_task`, named for the one
thing it does: the Airflow grid shows what ran and what failed.

extract_shop_db lands the shop database's changed rows as files first (a no-op without
RAPPORT_SHOP_DB_URL). catchup follows RAPPORT_CATCHUP (off by default, so a new deployment
does not replay every day since start_date, RAPPORT_START_DATE, 1970-01-01 by default so that a
user's folder of any decade runs); `airflow backfill create` runs a date range day
by day either way, each day's marts and exports as of that day. Any failed task calls pipelines.ops.alert.

gate_incoming_batch runs the GX suite of every staged entity before commit_load merges the batch;
record_quality_results keeps the suite results in the warehouse and the quarantine on the quality
page. dbt_build checks source freshness first, in the same dbt process (one start-up, one parse),
and a stale feed fails dbt_build before anything is built, its log naming the source. fit_clv fits BG/NBD +
Gamma-Gamma on the dbt summary and writes the CLV marts; dbt_build_clv then builds and tests what
reads them (the CLV segments) before the export.

generate_dbt_docs and publish_marts then copy every marts/segments table and the docs to
<RAPPORT_HOME>/serving (Parquet and a DuckDB-1.x-readable file, swapped atomically) for BI tools,
and build_report writes report.html there.

forget_erased runs last: everyone the erasure list names leaves the raw tables, the warehouse
file (rewritten, so no free block keeps them) and every file rapport keeps under RAPPORT_HOME.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pendulum
from airflow.sdk import Asset, Param, dag, task

from orchestration.connections import airflow_connection_password
from pipelines import stages
from pipelines.ops.alert import on_task_failure
from pipelines.settings import get_settings

RAW = Asset("rapport://warehouse/raw")
MARTS = Asset("rapport://warehouse/marts")
EXPORTS = Asset("rapport://exports/segments")
SERVING = Asset("rapport://serving/marts")


def stage_task(task_id: str, stage: Callable[..., Any], *, show: bool = False, **task_args: Any) -> Any:
    """A task that calls one stage with what it takes of the run: `as_of` (the logical date),
    `run_id`, `landing` (the param); `show` prints the result's lines to the task log."""
    takes = inspect.signature(stage).parameters

    @task(task_id=task_id, **task_args)
    def run(ds: str | None = None, run_id: str | None = None, params: dict | None = None) -> Any:
        given = {
            "as_of": str(ds),
            "run_id": str(run_id),
            "landing": (params or {}).get("landing"),
            "connection_password": airflow_connection_password,  # webhook tokens by conn_id
        }
        result = stage(**{name: value for name, value in given.items() if name in takes})
        if show:
            print("\n".join(result))
            return None
        return result

    return run()


@dag(
    dag_id="rapport_daily",
    doc_md=__doc__,
    schedule="@daily",
    start_date=pendulum.datetime(*get_settings().start_date.timetuple()[:3], tz="UTC"),
    catchup=get_settings().catchup,
    max_active_runs=1,
    tags=["rapport", "marketing"],
    params={"landing": Param(None, type=["null", "string"], description="landing folder override")},
    default_args={
        "retries": 2,
        "retry_delay": timedelta(minutes=1),
        "retry_exponential_backoff": True,
        "max_retry_delay": timedelta(minutes=15),
        "on_failure_callback": on_task_failure,
    },
)
def rapport_daily() -> None:
    # retries=0 where a retry cannot help: a rejected batch, a failed gate or dbt test fails again
    built = (
        stage_task("extract_shop_db", stages.extract, retries=4)
        >> stage_task("stage_landing", stages.stage, retries=0)
        >> stage_task("gate_incoming_batch", stages.gate_incoming, retries=0)
        >> stage_task("commit_load", stages.commit, outlets=[RAW])
        >> stage_task("record_quality_results", stages.record_quality)
        >> stage_task("dbt_build", stages.build, outlets=[MARTS], retries=0)
        >> stage_task("fit_clv", stages.fit_clv, retries=0)
        >> stage_task("dbt_build_clv", stages.build_clv, outlets=[MARTS], retries=0)
    )
    export = stage_task("export_segments", stages.export, outlets=[EXPORTS], retries=0)
    exported = export >> stage_task("record_export_quality_results", stages.record_quality)
    # read-only: beside the export's reads (shared locks); the export's writes wait for it
    docs = stage_task("generate_dbt_docs", stages.generate_docs, retries=0)
    built >> [export, docs]
    (
        [exported, docs]
        >> stage_task("publish_marts", stages.publish, outlets=[SERVING], retries=0)
        >> stage_task("build_report", stages.report)
        >> stage_task("forget_erased", stages.forget, retries=0)
        >> stage_task("summarize", stages.summary, show=True)
    )


rapport_daily()
