"""rapport_daily's runs as Airflow's metadata database holds them: each run's state and span,
its tasks' span, the logical dates; and the wait for a number of runs to finish. Read by
real_scheduler.py, which judges them."""

from __future__ import annotations

import time
from datetime import date

import psycopg2


def _dag_runs(url: str) -> list[tuple[str, str, object, object]]:
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "select run_id, state, start_date, end_date from dag_run "
            "where dag_id = 'rapport_daily' order by start_date nulls last"
        )
        return list(cur.fetchall())


def task_spans(url: str) -> list[tuple[str, object, object]]:
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "select run_id, min(start_date), max(end_date) from task_instance "
            "where dag_id = 'rapport_daily' group by run_id order by 2"
        )
        return list(cur.fetchall())


def logical_dates(url: str) -> list[date]:
    with psycopg2.connect(url) as con, con.cursor() as cur:
        cur.execute(
            "select logical_date from dag_run where dag_id = 'rapport_daily' order by logical_date desc"
        )
        return [row[0].date() for row in cur.fetchall()]


def wait(url: str, count: int, timeout: float) -> list[tuple[str, str, object, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = _dag_runs(url)
        if len(runs) >= count and all(state in ("success", "failed") for _, state, _, _ in runs):
            return runs
        time.sleep(10)
    raise SystemExit(f"runs not finished after {timeout:.0f} s: {_dag_runs(url)}")
