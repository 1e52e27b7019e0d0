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
SQL computing RFM scores from the order files. The `x floor` column divides by them.

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
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAST_DAY = "2026-06-30"  # the generator's default history ends here
TASKS = {  # dags/rapport_daily.py, in order: task id -> pipelines.stages function
    "extract_shop_db": "extract",
    "stage_landing": "stage",
    "gate_incoming_batch": "gate_incoming",
    "commit_load": "commit",
    "record_quality_results": "record_quality",
    "check_source_freshness": "check_source_freshness",
    "dbt_build": "build",
    "fit_clv": "fit_clv",
    "dbt_build_clv": "build_clv",
    "export_segments": "export",
    "record_export_quality_results": "record_quality",
    "generate_dbt_docs": "generate_docs",
    "publish_marts": "publish",
    "build_report": "report",
    "forget_erased": "forget",
    "summarize": "summary",
}
# Tasks the DAG runs side by side (dags/rapport_daily.py): each group starts when its first task
# would, and each chain in it runs its tasks one after another, beside the group's other chains.
GROUPS = ((("export_segments", "record_export_quality_results"), ("generate_dbt_docs",)),)
# what stage_task in dags/rapport_daily.py hands each stage, by parameter name
CALL = (
    "import inspect; from pipelines import stages; "
    "from orchestration.connections import airflow_connection_password as lookup; "
    "f = getattr(stages, {fn!r}); given = dict(as_of={as_of!r}, run_id='bench', landing=None, "
    "connection_password=lookup); "
    "f(**{{k: v for k, v in given.items() if k in inspect.signature(f).parameters}})"
)
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
FLOOR_READ = """
import duckdb, pathlib
land = pathlib.Path('{landing}')
con = duckdb.connect('{db}')
for entity in sorted(p for p in land.iterdir() if p.is_dir() and not p.name.startswith('_')):
    read = f"create or replace table {{entity.name}} as select * from read_csv('{{entity}}/**/*.csv', "
    try:
        con.execute(read + "hive_partitioning = false)")
    except (duckdb.ConversionException, duckdb.InvalidInputException):
        # types sniffed from the first file fail on a later one (a small shop's postal_code
        # looks numeric in one file only): read as text, as the loader does before its casts
        con.execute(read + "hive_partitioning = false, all_varchar = true)")
"""
FLOOR_RFM = """
import duckdb
duckdb.sql('''
with orders as (
    select customer_id, cast(ordered_at as date) as day, amount
    from read_csv('{landing}/orders/**/*.csv', hive_partitioning = false)
    where status <> 'cancelled' and cast(ordered_at as date) < date '{as_of}'
),
per_customer as (
    select customer_id, date '{as_of}' - max(day) as recency_days,
           count(distinct day) as frequency, sum(amount) as monetary
    from orders group by customer_id
)
select customer_id,
       ntile(5) over (order by recency_days desc) as r, ntile(5) over (order by frequency) as f,
       ntile(5) over (order by monetary) as m
from per_customer
''').fetchall()
"""


def run(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak RSS (MiB) and CPU seconds (user + sys) of one fresh process, its children included."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {code[:200]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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


def row(name: str, seconds: float, peak: float, floor: float | None = None, cpu: float | None = None) -> None:
    ratio = f"{seconds / floor:>9.1f}x" if floor else ""
    used = f"{cpu:>9.1f}" if cpu is not None else " " * 9
    print(f"{name:<30}{seconds:>9.1f}{used}{peak:>10.0f}{ratio}", flush=True)


def floors(landing: Path, work: Path, as_of: str, env: dict[str, str]) -> tuple[float, float]:
    db = work / "floor.duckdb"
    read, read_peak, read_cpu = run(FLOOR_READ.format(landing=landing, db=db), env)
    db.unlink(missing_ok=True)
    rfm, rfm_peak, rfm_cpu = run(FLOOR_RFM.format(landing=landing, as_of=as_of), env)
    row("floor_read", read, read_peak, cpu=read_cpu)
    row("floor_rfm", rfm, rfm_peak, cpu=rfm_cpu)
    return read, rfm


def steps(tasks: list[str]) -> list[list[list[str]]]:
    """The DAG's run order as steps of chains: a task alone is a step of one chain of one task; a
    GROUPS entry is one step whose chains run side by side (only the chosen tasks of each)."""
    grouped = {task: group for group in GROUPS for chain in group for task in chain}
    done: set[str] = set()
    order: list[list[list[str]]] = []
    for task in tasks:
        if task in done:
            continue
        group = grouped.get(task, ((task,),))
        chains = [[t for t in chain if t in tasks] for chain in group]
        order.append([chain for chain in chains if chain])
        done.update(t for chain in chains for t in chain)
    return order


def run_chain(chain: list[str], as_of: str, env: dict[str, str]) -> list[tuple[str, float, float, float]]:
    return [(name, *run(CALL.format(fn=TASKS[name], as_of=as_of), env)) for name in chain]


def dag_run(
    as_of: str, env: dict[str, str], read: float, rfm: float, profile: bool, only: list[str] | None = None
) -> float:
    """Runs the tasks as the DAG does; the total is the critical path: a group counts its wall
    time (the tasks' own rows are their seconds side by side) and start-up once per task of its
    longest chain. The CPU column is user + sys of each task's process and its children."""
    tasks = [name for name in TASKS if not only or name in only]
    overhead, overhead_peak = task_start(env)
    row(f"task_overhead x{len(tasks)}", overhead * len(tasks), overhead_peak)
    total = cpu_total = 0.0
    for step in steps(tasks):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(step)) as pool:  # each task is its own process
            ran = list(pool.map(lambda chain: run_chain(chain, as_of, env), step))
        wall = time.perf_counter() - started
        for name, seconds, peak, cpu in (task for chain in ran for task in chain):
            floor = read if name in ("stage_landing", "gate_incoming_batch", "commit_load") else None
            row(name, seconds, peak, rfm if name.startswith("dbt_build") else floor, cpu)
            cpu_total += cpu
            if profile and name == "dbt_build":
                slowest(Path(env["RAPPORT_HOME"]) / "dbt" / "target" / "run_results.json")
        if len(step) > 1:
            longest = max(ran, key=lambda chain: sum(seconds for _, seconds, _, _ in chain))
            row(f"  side by side: {len(ran)} chains", wall, 0)
            total += wall + overhead * len(longest)
        else:
            total += sum(seconds for _, seconds, _, _ in ran[0]) + overhead * len(step[0])
    row("total (critical path)", total, 0, read + rfm, cpu_total)
    return total


def slowest(run_results: Path, top: int = 15) -> None:
    results = json.loads(run_results.read_text())["results"]
    thread_time = sum(r["execution_time"] for r in results)
    print(f"    dbt: {len(results)} nodes, {thread_time:.1f} s thread time; slowest:")
    for r in sorted(results, key=lambda r: -r["execution_time"])[:top]:
        print(f"    {r['execution_time']:7.1f}  {r['unique_id']}")


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
