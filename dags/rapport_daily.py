"""rapport_daily: landing files → DuckDB → dbt marts → quality gate → segment exports.

Runs once a day for the day that just ended; the run's logical date is the
as-of date of every mart and export, so a rerun of a date reproduces it. Tasks
run strictly one after another because each one opens the single-writer
DuckDB warehouse; `max_active_runs=1` keeps two runs from overlapping.

Params: `landing` overrides the landing folder (default: RAPPORT_LANDING_DIR or
<RAPPORT_HOME>/landing).

extract_shop_db lands the shop database's changed rows as files first (a no-op without
RAPPORT_SHOP_DB_URL). catchup follows RAPPORT_CATCHUP (off by default, so a new deployment
does not replay every day since start_date, RAPPORT_START_DATE, 1970-01-01 by default so that a
user's folder of any decade runs); `airflow backfill create` runs a date range day
by day either way, each day's marts and exports as of that day. Any failed task calls pipelines.ops.alert.

fit_clv fits BG/NBD + Gamma-Gamma on the dbt summary and writes the CLV marts;
dbt_build_clv then builds and tests what reads them (the CLV segments) before the export.

publish_marts then copies every marts/segments table to <RAPPORT_HOME>/serving (Parquet and a
DuckDB-1.x-readable file, swapped atomically) for BI tools, and build_report writes report.html there.
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, task

from pipelines.ops.alert import on_task_failure
from pipelines.settings import get_settings

RAW = Asset("rapport://warehouse/raw")
MARTS = Asset("rapport://warehouse/marts")
EXPORTS = Asset("rapport://exports/segments")
SERVING = Asset("rapport://serving/marts")


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
    @task(retries=4)
    def extract_shop_db(
        ds: str | None = None, run_id: str | None = None, params: dict | None = None
    ) -> list[str]:
        from pipelines import stages

        return stages.extract(str(ds), str(run_id), (params or {}).get("landing"))

    @task(retries=0)  # a rejected batch (BatchRejected) is rejected again on every retry
    def stage_landing(
        ds: str | None = None, run_id: str | None = None, params: dict | None = None
    ) -> list[str]:
        from pipelines import stages

        return stages.stage(str(ds), str(run_id), (params or {}).get("landing"))

    @task(retries=0)
    def gate_incoming_orders(run_id: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.gate_incoming(str(run_id))

    @task(outlets=[RAW])
    def commit_load(run_id: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.commit(str(run_id))

    @task(outlets=[MARTS], retries=0)
    def dbt_build(ds: str | None = None) -> str:
        from pipelines import stages

        return stages.build(str(ds))

    @task(retries=0)
    def fit_clv(ds: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.fit_clv(str(ds))

    @task(outlets=[MARTS], retries=0)
    def dbt_build_clv(ds: str | None = None) -> str:
        from pipelines import stages

        return stages.build_clv(str(ds))

    @task(outlets=[EXPORTS], retries=0)
    def export_segments(ds: str | None = None, run_id: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.export(str(ds), str(run_id))

    @task(outlets=[SERVING], retries=0)
    def publish_marts(ds: str | None = None, run_id: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.publish(str(ds), str(run_id))

    @task
    def build_report() -> str:
        from pipelines import stages

        return stages.report()

    @task
    def summarize(ds: str | None = None, run_id: str | None = None) -> None:
        from pipelines import stages

        print("\n".join(stages.summary(str(ds), str(run_id))))

    (
        extract_shop_db()
        >> stage_landing()
        >> gate_incoming_orders()
        >> commit_load()
        >> dbt_build()
        >> fit_clv()
        >> dbt_build_clv()
        >> export_segments()
        >> publish_marts()
        >> build_report()
        >> summarize()
    )


rapport_daily()
