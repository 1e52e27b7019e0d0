"""Run the DAG on this machine with `airflow dags test` and a project-local AIRFLOW_HOME.

The package never imports Airflow; this module only drives its CLI, so the
same DAG file that a scheduler runs in production runs here too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

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
        "GX_ANALYTICS_ENABLED": "false",
    }


def _airflow(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("airflow"))
    return subprocess.run([exe, *args], env=env, text=True, capture_output=True, check=False)


def run_dag(settings: Settings, as_of: date, landing: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Migrate the metadata DB once, then run one DagRun for the as-of date."""
    env = airflow_env(settings)
    if not (settings.home / "airflow" / "airflow.db").exists():
        migrated = _airflow(env, "db", "migrate")
        if migrated.returncode != 0:
            raise RuntimeError(
                f"airflow db migrate failed:\n{migrated.stdout[-3000:]}{migrated.stderr[-3000:]}"
            )
    conf = json.dumps({"landing": str(landing.resolve()) if landing else None})
    return _airflow(env, "dags", "test", DAG_ID, as_of.isoformat(), "-c", conf)
