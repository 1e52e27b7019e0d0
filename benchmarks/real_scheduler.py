"""The DAG under a real scheduler: PostgreSQL metadata DB, api-server, scheduler and dag-processor on
LocalExecutor; the scheduled run that unpausing creates (today, catchup off), then a two-day
backfill of the shop's last days with --max-active-runs 1, as the README gives it.

    uv run python benchmarks/real_scheduler.py [--customers 300] [--workdir DIR]

Slow (minutes; three DAG runs plus Airflow start-up), so it is a benchmark, not a test. It prints
each run's state and time span and exits non-zero when runs overlapped, a run failed,
`serving/current` is not on the newest day, or `exports/latest` moved back. Source freshness is
off: the scheduled run is for today, long after the generated shop's last order.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import timedelta
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from benchmarks.scheduler_runs import logical_dates, task_spans, wait  # noqa: E402
from pipelines.asof import default_as_of  # noqa: E402
from pipelines.generate import generate_shop  # noqa: E402
from pipelines.serve import Manifest, Serving  # noqa: E402
from tests.extract.pg_server import postgres  # noqa: E402

AIRFLOW = str(Path(sys.executable).with_name("airflow"))


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(work: Path, url: str, port: int) -> dict[str, str]:
    conn = url.replace("postgresql://", "postgresql+psycopg2://")
    return {
        **os.environ,
        "AIRFLOW_HOME": str(work / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
        "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": conn,
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
        "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
        "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(16),
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "RAPPORT_HOME": str(work / "home"),
        "RAPPORT_LANDING_DIR": str(work / "home" / "landing"),
        "RAPPORT_FRESHNESS_CHECK": "false",
        "GX_ANALYTICS_ENABLED": "false",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def _airflow(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"airflow {' '.join(args)} failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=300)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=3600)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="rapport-sched-"))
    landing = work / "home" / "landing"
    generate_shop(landing, customers=args.customers, seed=5)
    day2 = default_as_of(landing)
    day1 = day2 - timedelta(days=1)
    started = time.perf_counter()
    with ExitStack() as stack:
        url = stack.enter_context(postgres())
        port = _port()
        env = _env(work, url, port)
        _airflow(env, "db", "migrate")
        logs = work / "logs"
        logs.mkdir(exist_ok=True)
        for name, cmd in (
            ("api-server", ["api-server", "--port", str(port)]),
            ("scheduler", ["scheduler"]),
            ("dag-processor", ["dag-processor"]),
        ):
            out = (logs / f"{name}.log").open("w")
            proc = subprocess.Popen([AIRFLOW, *cmd], env=env, stdout=out, stderr=subprocess.STDOUT)
            stack.callback(proc.wait)
            stack.callback(proc.terminate)
        deadline = time.monotonic() + 300
        while "rapport_daily" not in _airflow(env, "dags", "list"):
            if time.monotonic() > deadline:
                raise SystemExit("the dag-processor did not parse rapport_daily in 300 s")
            time.sleep(5)
        _airflow(env, "dags", "unpause", "rapport_daily")  # the scheduler creates today's run
        wait(url, 1, args.timeout)
        day3 = logical_dates(url)[0]
        _airflow(env, "backfill", "create", "--dag-id", "rapport_daily", "--from-date", str(day1),
                 "--to-date", str(day2), "--max-active-runs", "1")  # fmt: skip
        runs = wait(url, 3, args.timeout)
        spans = task_spans(url)
    elapsed = time.perf_counter() - started
    problems = [f"run {r} ended {s}" for r, s, _, _ in runs if s != "success"]
    for (a, _, a_end), (b, b_start, _) in pairwise(spans):
        if a_end is not None and b_start is not None and b_start < a_end:
            problems.append(f"runs overlapped: {b} started at {b_start} before {a} ended at {a_end}")
    serving = Serving(work / "home" / "serving")
    current = Manifest.read(serving.current / "manifest.json").as_of_date
    if current != day3:
        problems.append(f"serving/current is on {current}, not the newest day {day3}")
    latest = (work / "home" / "exports" / "latest").read_text().strip()
    if latest != str(day3):
        problems.append(f"exports/latest is {latest}, not {day3}")
    for day in (day1, day2, day3):
        if not (work / "home" / "exports" / str(day) / "manifest.json").exists():
            problems.append(f"no export for {day}")
    for run_id, state, start, end in runs:
        print(f"{run_id:<60} {state:<8} {start} -> {end}")
    print(f"customers {args.customers}, 3 runs, {elapsed:.0f} s wall; work dir {work}")
    print("\n".join(problems) or "serial execution, every run green, current and latest on the newest day")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
