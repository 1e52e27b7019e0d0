"""Run dbt against the warehouse for one as-of date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from pipelines.settings import Settings
from pipelines.warehouse import exclusive


class DbtFailed(RuntimeError):
    """dbt exited non-zero; the message carries the failing nodes from run_results.json."""


def run_dbt(settings: Settings, command: list[str], as_of: date | None = None) -> Path:
    """Run one dbt command under the warehouse lock; returns the target path."""
    target = settings.home / "dbt" / "target"
    env = {
        **os.environ,
        "RAPPORT_WAREHOUSE_PATH": str(settings.warehouse_path),
        "RAPPORT_DBT_THREADS": str(settings.dbt_threads),
        "RAPPORT_DUCKDB_MEMORY_LIMIT": settings.duckdb_memory_limit,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    project = str(settings.dbt_project_dir)
    args = [
        str(Path(sys.executable).with_name("dbt")),
        *command,
        "--project-dir", project,
        "--profiles-dir", project,
        "--target-path", str(target),
        "--log-path", str(settings.home / "dbt" / "logs"),
    ]  # fmt: skip
    if as_of is not None:
        args += ["--vars", json.dumps({"as_of_date": as_of.isoformat()})]
    with exclusive(settings.warehouse_path):
        proc = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    sys.stdout.write(proc.stdout[-20000:])
    if proc.returncode != 0:
        detail = _failures(target) or proc.stdout[-4000:]
        raise DbtFailed(f"dbt {' '.join(command)} failed:\n{detail}")
    return target


def _failures(target: Path) -> str:
    results = target / "run_results.json"
    if not results.exists():
        return ""
    nodes = json.loads(results.read_text())["results"]
    bad = [n for n in nodes if n["status"] in ("error", "fail")]
    return "\n".join(f"  {n['unique_id']}: {n['status']}: {n.get('message')}" for n in bad)


def build_marts(settings: Settings, as_of: date, full_refresh: bool = False) -> Path:
    """`dbt seed` is part of build; source freshness is checked separately by the DAG.

    `full_refresh` rebuilds the incremental facts; the segment history is exempt
    (full_refresh=false in its config), since past runs cannot be rebuilt."""
    return run_dbt(settings, ["build", *(["--full-refresh"] if full_refresh else [])], as_of)
