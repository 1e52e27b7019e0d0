"""Run the DAG on this machine with `airflow dags test` and a project-local AIRFLOW_HOME.

The `pipelines` package never imports Airflow nor this module; this one only drives
Airflow's CLI, so the same DAG file that a scheduler runs in production runs here too.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from importlib.metadata import version
from pathlib import Path
from typing import Any

from pipelines.settings import REPO_ROOT, Settings

DAG_ID = "rapport_daily"


def airflow_env(settings: Settings) -> dict[str, str]:
    home = settings.home / "airflow"
    home.mkdir(parents=True, exist_ok=True)
    return {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "RAPPORT_HOME": str(settings.home),
        "RAPPORT_START_DATE": settings.start_date.isoformat(),
        "RAPPORT_LANDING_CONFIG": str(settings.landing_config),
        "RAPPORT_MAX_QUARANTINED_VALUE_SHARE": str(settings.max_quarantined_value_share),
        "GX_ANALYTICS_ENABLED": "false",
    }


def _airflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("airflow"))
    return subprocess.run([exe, *args], env=env, text=True, capture_output=True, check=False)


def _migrate(settings: Settings, env: dict[str, str]) -> None:
    """Create the metadata DB. With RAPPORT_AIRFLOW_DB_CACHE set (the test suite: many homes, one
    Airflow), the first home's freshly migrated DB is kept there per Airflow version and later homes
    start from a copy of it, which saves `airflow db migrate` (~11 s) for each of them."""
    db = settings.home / "airflow" / "airflow.db"
    cache = os.environ.get("RAPPORT_AIRFLOW_DB_CACHE")
    template = Path(cache) / f"airflow-{version('apache-airflow')}.db" if cache else None
    if template is not None and template.exists():
        shutil.copyfile(template, db)
        return
    migrated = _airflow(env, "db", "migrate")
    if migrated.returncode != 0:
        raise RuntimeError(f"airflow db migrate failed:\n{migrated.stdout[-3000:]}{migrated.stderr[-3000:]}")
    if template is not None:  # written whole, then renamed: a parallel run never copies half of it
        template.parent.mkdir(parents=True, exist_ok=True)
        partial = template.with_name(f"{template.name}.{os.getpid()}.tmp")
        shutil.copyfile(db, partial)
        os.replace(partial, template)


def _tasks_done(settings: Settings) -> int:
    """Task instances that ran in the newest run of the DAG (read from the metadata DB itself)."""
    with sqlite3.connect(settings.home / "airflow" / "airflow.db") as db:
        row = db.execute(
            "select count(*) from task_instance where dag_id = ? and state is not null and run_id ="
            " (select run_id from dag_run where dag_id = ? order by id desc limit 1)",
            (DAG_ID, DAG_ID),
        ).fetchall()
    return int(row[0][0]) if row else 0


def _failed(proc: subprocess.CompletedProcess[str], why: str) -> subprocess.CompletedProcess[str]:
    return subprocess.CompletedProcess(proc.args, 1, proc.stdout, f"{proc.stderr}\nERROR: {why}\n")


def progress_file(settings: Settings) -> Path:
    """Where this home's running DAG writes its progress records (one run per home at a time)."""
    return settings.home / "airflow" / "progress.jsonl"


def run_dag(
    settings: Settings,
    as_of: date,
    landing: Path | None = None,
    on_event: Callable[[dict[str, Any]], None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Migrate the metadata DB once, then run one DagRun for the as-of date.

    `on_event` receives each task's progress record (pipelines.progress) while the run goes.
    A run that executed no task is a failure saying why: Airflow marks a logical date before
    the DAG's start_date successful with zero tasks, which would blame the data later on.
    """
    from pipelines.progress.follow import run_following

    if as_of < settings.start_date:
        why = (
            f"as-of date {as_of} is before the DAG's start_date {settings.start_date}: Airflow would"
            " run no task. Set RAPPORT_START_DATE to that day or earlier."
        )
        return _failed(subprocess.CompletedProcess([DAG_ID], 0, "", ""), why)

    env = airflow_env(settings)
    if not (settings.home / "airflow" / "airflow.db").exists():
        _migrate(settings, env)
    conf = json.dumps({"landing": str(landing.resolve()) if landing else None})
    exe = str(Path(sys.executable).with_name("airflow"))
    args = [exe, "dags", "test", DAG_ID, as_of.isoformat(), "-c", conf]
    proc = run_following(args, env, progress_file(settings), on_event)
    if proc.returncode == 0 and _tasks_done(settings) == 0:
        return _failed(proc, f"the DAG run for {as_of} executed no task; nothing was loaded or built")
    return proc
