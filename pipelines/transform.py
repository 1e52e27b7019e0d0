"""Run one dbt command against the warehouse for one as-of date, under its lock (what the
daily DAG builds with it: pipelines/builds.py)."""

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

from pipelines.dbt_session import FAILED
from pipelines.killpoint import kill_point
from pipelines.progress import note
from pipelines.settings import Settings
from pipelines.warehouse import exclusive, note_holder

PR_SET_PDEATHSIG = 1
# a command that only reads (docs): pipelines/dbt_plugin.py then opens the file read-only
READ_ONLY = "RAPPORT_DBT_READ_ONLY"
_STARTED = re.compile(r" START sql \S+ model ([\w.]+) ")


class DbtFailed(RuntimeError):
    """dbt exited non-zero; the message carries the failing nodes from run_results.json, and
    `command` the dbt command that failed (`before` or the command itself: run_dbt)."""

    def __init__(self, message: str, command: list[str] | None = None) -> None:
        super().__init__(message)
        self.command = command or []


def target_path(settings: Settings) -> Path:
    """dbt's target folder: run results, source freshness verdicts, the docs."""
    return settings.home / "dbt" / "target"


def run_dbt(
    settings: Settings,
    command: list[str],
    as_of: date | None = None,
    read_only: bool = False,
    before: list[str] | None = None,
) -> Path:
    """Run one dbt command under the warehouse lock; returns the target path. `read_only`: dbt
    opens the file read-only (pipelines/dbt_plugin.py) under a reader's shared lock, so it runs
    beside other readers; the profile stays the same, so dbt's partial parse holds. `before`: a
    dbt command run first in the same dbt process on the same parsed project
    (pipelines/dbt_session.py: one start-up, not two); if it fails, `command` does not run."""
    target = target_path(settings)
    env = {
        **os.environ,
        "RAPPORT_WAREHOUSE_PATH": str(settings.warehouse_path),
        "RAPPORT_DBT_THREADS": str(settings.dbt_threads),
        "RAPPORT_DUCKDB_MEMORY_LIMIT": settings.dbt_memory_limit,  # profiles.yml's memory_limit
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_USE_COLORS": "false",  # plain lines in task logs, and N of M readable by _stream
        # read by _shop__sources.yml: the same values in every dbt command, or dbt re-parses the
        # sources and every model under them whenever one command set them and the next did not
        "RAPPORT_FRESHNESS_WARN_HOURS": str(settings.freshness_warn_hours),
        "RAPPORT_FRESHNESS_ERROR_HOURS": str(settings.freshness_error_hours),
    }
    project = str(settings.dbt_project_dir)
    common = [
        "--project-dir", project,
        "--profiles-dir", project,
        "--target-path", str(target),
        "--log-path", str(settings.home / "dbt" / "logs"),
    ]  # fmt: skip
    if before:  # both commands in one dbt process on one parse (pipelines/dbt_session.py)
        commands = [before, command]
        spec = json.dumps({"common": common, "commands": commands})
        args = [sys.executable, "-m", "pipelines.dbt_session", spec]
    else:
        commands = [command]
        args = [str(Path(sys.executable).with_name("dbt")), *command, *common]
    if as_of is not None:  # an env var, not --vars: a new date each day keeps dbt's partial parse
        env["RAPPORT_AS_OF_DATE"] = as_of.isoformat()
    env[READ_ONLY] = "1" if read_only else ""
    with exclusive(settings.warehouse_path, shared=read_only) as lock:
        # dbt inherits the lock's descriptor, so the lock is held as long as dbt runs, and dies
        # with us (PR_SET_PDEATHSIG): a killed task never leaves a dbt holding the file unlocked
        parent = os.getpid()
        child = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            pass_fds=(lock.fileno(),), preexec_fn=lambda: _die_with(parent),
        )  # fmt: skip
        if not read_only:
            note_holder(lock, child=child.pid)
        for each in commands:
            kill_point(f"dbt:{each[0]}")  # e.g. dbt:build, dbt:source, dbt:docs
        try:
            stdout = _stream(child)
        except BaseException:  # e.g. Airflow's SIGTERM handler raising: stop dbt before unlocking
            child.kill()
            child.wait()
            raise
    if child.returncode != 0:
        # the session's status names the failed command; any other (the parse failed) ran neither
        failed = before if before and child.returncode != FAILED + 1 else command
        detail = _failures(target) or stdout[-4000:]
        raise DbtFailed(f"dbt {' '.join(failed)} failed:\n{detail}", failed)
    return target


# a finished node in dbt's console: "12:00:01  12 of 85 OK created sql table model main.x ... [OK in 0.1s]"
# (a long node name leaves no room for the dots)
_NODE_DONE = re.compile(r"\b(\d+) of (\d+) (OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b.*?([\w.]+) \.* ?\[")


def _stream(child: subprocess.Popen[str]) -> str:
    """Pass dbt's output through line by line (the task log), note its N of M as it goes, and let a
    kill point name the model dbt has just started."""
    kept: list[str] = []
    assert child.stdout is not None
    for line in child.stdout:
        sys.stdout.write(line)
        kept.append(line)
        if started := _STARTED.search(line):
            kill_point(f"dbt:model:{started.group(1)}")  # e.g. dbt:model:marts.customer_rfm
        if (found := _NODE_DONE.search(line)) and "hook:" not in line:
            done, total, status, node = found.groups()
            note(f"{node.split('.')[-1]} {status}", int(done), int(total))
    child.wait()
    return "".join(kept)


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
