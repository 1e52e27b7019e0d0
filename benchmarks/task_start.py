"""What every task's process pays before its work: Airflow's fork and DAG parse, and the
compile of its imports where site-packages hold no bytecode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.measured import ROOT

# A LocalExecutor worker (Airflow imported once) forks each task (supervise: os.fork, no exec on
# Linux); the child imports the task runner and parses the DAG file, then runs the task.
OVERHEAD = """
import os, statistics, sys, time
import airflow.executors.local_executor, airflow.sdk.execution_time.supervisor
dag, spent, peak = {dag!r}, [], 0
for _ in range(3):
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        from airflow.sdk.execution_time.task_runner import main
        from airflow.dag_processing.dagbag import BundleDagBag
        bag = BundleDagBag(dag_folder=dag, safe_mode=False, load_op_links=False,
                           bundle_path=os.path.dirname(dag), bundle_name="dags-folder")
        os._exit(0 if "rapport_daily" in bag.dags else 1)
    _, status, usage = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status):
        sys.exit("the DAG file did not parse")
    spent.append(time.perf_counter() - started)
    peak = max(peak, usage.ru_maxrss)
print(statistics.median(spent), peak / 1024)
"""


def task_start(env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of the fork + DAG parse that Airflow runs before each task."""
    home = Path(env["RAPPORT_HOME"]) / "airflow"
    airflow = {"AIRFLOW_HOME": str(home), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    code = OVERHEAD.format(dag=str(ROOT / "dags" / "rapport_daily.py"))
    out = subprocess.run(
        [sys.executable, "-c", code], env={**env, **airflow}, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        raise SystemExit(f"task start-up failed: {out.stderr[-2000:]}")
    seconds, peak = out.stdout.split()[-2:]
    return float(seconds), float(peak)


def bytecode_note() -> str:
    """Whether site-packages hold compiled bytecode (PYTHONDONTWRITEBYTECODE stops Python writing it)."""
    import importlib.util

    import duckdb

    cached = Path(importlib.util.cache_from_source(duckdb.__file__)).exists()
    return "compiled" if cached else "NOT compiled (every process compiles its imports: `make setup`)"
