"""rapport_daily: landing files → DuckDB → dbt marts → quality gate → segment exports.

Runs once a day for the day that just ended; the run's logical date is the
as-of date of every mart and export, so a rerun of a date reproduces it. Tasks
run strictly one after another because each one opens the single-writer
DuckDB warehouse; `max_active_runs=1` keeps two runs from overlapping.

Params: `landing` overrides the landing folder (default: RAPPORT_LANDING_DIR or
<RAPPORT_HOME>/landing).
"""

from __future__ import annotations

from datetime import timedelta

import pendulum
from airflow.sdk import Asset, Param, dag, task

RAW = Asset("rapport://warehouse/raw")
MARTS = Asset("rapport://warehouse/marts")
EXPORTS = Asset("rapport://exports/segments")


@dag(
    dag_id="rapport_daily",
    doc_md=__doc__,
    schedule="@daily",
    start_date=pendulum.datetime(2024, 7, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["rapport", "marketing"],
    params={"landing": Param(None, type=["null", "string"], description="landing folder override")},
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1), "retry_exponential_backoff": True},
)
def rapport_daily() -> None:
    @task
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

    @task(outlets=[EXPORTS], retries=0)
    def export_segments(ds: str | None = None, run_id: str | None = None) -> list[str]:
        from pipelines import stages

        return stages.export(str(ds), str(run_id))

    @task
    def summarize(ds: str | None = None, run_id: str | None = None) -> None:
        from pipelines import stages

        print("\n".join(stages.summary(str(ds), str(run_id))))

    (
        stage_landing()
        >> gate_incoming_orders()
        >> commit_load()
        >> dbt_build()
        >> export_segments()
        >> summarize()
    )


rapport_daily()
