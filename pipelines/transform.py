"""Run dbt against the warehouse for one as-of date."""

from __future__ import annotations

import ctypes
import json
import os
import re
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

from pipelines.ops.killpoint import kill_point
from pipelines.settings import Settings
from pipelines.warehouse import exclusive, note_holder

PR_SET_PDEATHSIG = 1
_STARTED = re.compile(r" START sql \S+ model ([\w.]+) ")


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
    with exclusive(settings.warehouse_path) as lock:
        # dbt inherits the lock's descriptor, so the lock is held as long as dbt runs, and dies
        # with us (PR_SET_PDEATHSIG): a killed task never leaves a dbt holding the file unlocked
        parent = os.getpid()
        child = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            pass_fds=(lock.fileno(),), preexec_fn=lambda: _die_with(parent),
        )  # fmt: skip
        note_holder(lock, child=child.pid)
        kill_point(f"dbt:{command[0]}")  # e.g. dbt:build, dbt:source, dbt:docs
        try:
            stdout = _read(child)
        except BaseException:  # e.g. Airflow's SIGTERM handler raising: stop dbt before unlocking
            child.kill()
            child.wait()
            raise
    sys.stdout.write(stdout[-20000:])
    if child.returncode != 0:
        detail = _failures(target) or stdout[-4000:]
        raise DbtFailed(f"dbt {' '.join(command)} failed:\n{detail}")
    return target


def _read(child: subprocess.Popen[str]) -> str:
    """dbt's output, line by line, so a kill point can name the model dbt has just started."""
    assert child.stdout is not None
    lines = []
    for line in child.stdout:
        lines.append(line)
        started = _STARTED.search(line)
        if started:
            kill_point(f"dbt:model:{started.group(1)}")  # e.g. dbt:model:marts.customer_rfm
    child.wait()
    return "".join(lines)


def _die_with(parent: int) -> None:
    """In the dbt child before exec: SIGKILL when the parent dies (Linux), even if it already did."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        os._exit(1)


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


def build_after_clv(settings: Settings, as_of: date) -> Path:
    """What reads the CLV marts written by pipelines/clv (selectors.yml: after_clv); the
    default selector of a plain build leaves it out, so a first build never reads a missing table."""
    return run_dbt(settings, ["build", "--selector", "after_clv"], as_of)
