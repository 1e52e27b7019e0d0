"""Wall time and peak RSS of every task of the daily DAG on a generated shop, beside floors.

    uv run --frozen python benchmarks/pipeline_scale.py --customers 100000 [--landing DIR]
        [--workdir DIR] [--next-day] [--profile] [--tasks stage_landing,commit_load]

Each DAG task runs in its own fresh process calling the same `pipelines.stages` function the
Airflow task calls (an Airflow task is a process of its own too), so its peak RSS is its own, dbt's
subprocess included. `task_overhead` is what Airflow pays per task before the task's work: the
LocalExecutor (docker-compose.yml) forks each task from a worker that has Airflow imported already,
and the child parses the DAG file (BundleDagBag); so the figure is a fork of such a worker plus that
parse, median of three, counted once per task in the total. The interpreter and Airflow's imports
are paid once per worker, not per task. Python reads compiled bytecode where it exists (`make setup`
compiles it); a tree without it pays the compile of every module in every process, and the
benchmark says so.

Floors, measured in the same run and so under the same load: `floor_read` is plain DuckDB
reading every landing file into tables (one read_csv per entity), `floor_rfm` one hand-written
SQL computing RFM scores from the order files. The `x floor` column divides by them. After the
full day, `floor_serve` is plain DuckDB writing every table publish serves, from that day's
warehouse, in publish's two formats (a storage-v1.0.0 DuckDB file and zstd-1 Parquet): the
engine's cost of any full snapshot for BI, paid again every day however little changed.

--next-day holds the last day's files back, runs the DAG as of that day, then lands them and
runs the next day's DAG (P3: an increment against the full run). --profile prints dbt's
slowest nodes from run_results.json. --as-of DATE sets the run's date (default 2026-07-01): a
kept --workdir whose last day is held back (in `<workdir>.held_back`), run as of 2026-06-30,
leaves the state a next day starts from. --tasks runs only the named tasks, in DAG order (to
iterate on one stage; the other tasks' outputs are then missing, so pick a self-contained run
such as stage_landing,commit_load, or run the others first against a kept --workdir, whose
landing folder is then reused).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.dag_tasks import TASKS, dag_run
from benchmarks.floors import floors, serve_floor
from benchmarks.measured import run
from benchmarks.task_start import bytecode_note

LAST_DAY = "2026-06-30"  # the generator's default history ends here


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--landing", type=Path, help="a shop generate_scale.py --out wrote (reused)")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--next-day", action="store_true", help="also time the next day's increment")
    parser.add_argument("--profile", action="store_true", help="print dbt's slowest nodes")
    parser.add_argument("--tasks", help="comma-separated task ids to run (default: every task)")
    parser.add_argument("--no-floors", action="store_true", help="skip the floors (to iterate on a task)")
    parser.add_argument("--as-of", default="2026-07-01", help="as-of date of the run (without --next-day)")
    args = parser.parse_args()
    only = args.tasks.split(",") if args.tasks else None
    if only and set(only) - set(TASKS):
        parser.error(f"unknown task(s) {sorted(set(only) - set(TASKS))}; known: {', '.join(TASKS)}")
    home = args.workdir or Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    home.mkdir(parents=True, exist_ok=True)
    # The held-back day waits beside home, not in it: forget_erased redacts every file under
    # RAPPORT_HOME but the landing folder, so a day kept inside home reached the next run with
    # erased people's ids already replaced by "[erased]" (a user's next files never are).
    landing, held = home / "landing", home.parent / f"{home.name}.held_back"
    env = {**os.environ, "RAPPORT_HOME": str(home), "GX_ANALYTICS_ENABLED": "false"}
    env["RAPPORT_LANDING_DIR"] = str(landing)
    if landing.is_dir():  # a kept --workdir: its state and landing are reused
        print(f"reusing {landing}")
    elif args.landing:
        subprocess.run(["cp", "-al", str(args.landing), str(landing)], check=True)  # hard links: instant
    else:
        code = "from pathlib import Path; from pipelines.generate import generate_shop; "
        code += f"generate_shop(Path({str(landing)!r}), customers={args.customers}, seed=7)"
        seconds, _, _ = run(code, env)
        print(f"generated {args.customers:,} customers in {seconds:.1f} s")
    as_of = args.as_of
    if args.next_day:  # the full run sees every day but the last; the next run lands the last day
        for part in landing.glob(f"*/date={LAST_DAY}"):
            (held / part.parent.name).mkdir(parents=True, exist_ok=True)
            part.rename(held / part.parent.name / part.name)
        as_of = LAST_DAY
    load = subprocess.run(["cat", "/proc/loadavg"], capture_output=True, text=True).stdout.split()[:3]
    print(f"rapport benchmark: {args.customers:,} customers, home {home}, load average {' '.join(load)}")
    print(f"bytecode of site-packages: {bytecode_note()}")
    print(f"{'task':<30}{'seconds':>9}{'CPU s':>9}{'peak MiB':>10}{'x floor':>10}")
    read, rfm = (0.0, 0.0) if args.no_floors else floors(landing, home, as_of, env)
    full = dag_run(as_of, env, read, rfm, args.profile, only)
    if not args.no_floors and (home / "warehouse.duckdb").exists():
        serve = serve_floor(home / "warehouse.duckdb", home, env)
        print(f"floor_serve / full run: {serve / full:.0%} (a full snapshot for BI, every day)")
    if args.next_day:
        for part in held.glob("*/*"):
            part.rename(landing / part.parent.name / part.name)
        print(f"next day ({LAST_DAY} landed, as of 2026-07-01)")
        nxt = dag_run("2026-07-01", env, read, rfm, args.profile, only)
        print(f"next day / full run: {nxt / full:.0%}")
    if args.workdir is None:
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(held, ignore_errors=True)


if __name__ == "__main__":
    main()
