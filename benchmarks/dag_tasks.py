"""The daily DAG's tasks run as the DAG runs them, each in a fresh process, with the critical path
and each task's seconds, CPU and peak RSS (pipeline_scale.py's table)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.measured import row, run
from benchmarks.task_start import task_start

TASKS = {  # dags/rapport_daily.py, in order: task id -> pipelines.stages function
    "extract_shop_db": "extract",
    "stage_landing": "stage",
    "gate_incoming_batch": "gate_incoming",
    "commit_load": "commit",
    "record_quality_results": "record_quality",
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


def _steps(tasks: list[str]) -> list[list[list[str]]]:
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


def _run_chain(chain: list[str], as_of: str, env: dict[str, str]) -> list[tuple[str, float, float, float]]:
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
    for step in _steps(tasks):
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=len(step)) as pool:  # each task is its own process
            ran = list(pool.map(lambda chain: _run_chain(chain, as_of, env), step))
        wall = time.perf_counter() - started
        for name, seconds, peak, cpu in (task for chain in ran for task in chain):
            floor = read if name in ("stage_landing", "gate_incoming_batch", "commit_load") else None
            row(name, seconds, peak, rfm if name.startswith("dbt_build") else floor, cpu)
            cpu_total += cpu
            if profile and name == "dbt_build":
                _slowest(Path(env["RAPPORT_HOME"]) / "dbt" / "target" / "run_results.json")
        if len(step) > 1:
            longest = max(ran, key=lambda chain: sum(seconds for _, seconds, _, _ in chain))
            row(f"  side by side: {len(ran)} chains", wall, 0)
            total += wall + overhead * len(longest)
        else:
            total += sum(seconds for _, seconds, _, _ in ran[0]) + overhead * len(step[0])
    row("total (critical path)", total, 0, read + rfm, cpu_total)
    return total


def _slowest(run_results: Path, top: int = 15) -> None:
    results = json.loads(run_results.read_text())["results"]
    thread_time = sum(r["execution_time"] for r in results)
    print(f"    dbt: {len(results)} nodes, {thread_time:.1f} s thread time; slowest:")
    for r in sorted(results, key=lambda r: -r["execution_time"])[:top]:
        print(f"    {r['execution_time']:7.1f}  {r['unique_id']}")
