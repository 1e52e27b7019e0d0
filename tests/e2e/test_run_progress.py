"""While the DAG runs, each task's record reaches `rapport run` as the task ends, in DAG order."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ShopRun

pytestmark = pytest.mark.e2e

CORE = ["extract_shop_db", "stage_landing", "gate_incoming_batch", "commit_load", "record_quality_results",
        "dbt_build", "export_segments", "publish_marts",
        "build_report"]  # fmt: skip
# beside export_segments (dags/rapport_daily.py): either may end first
BESIDE = ("generate_dbt_docs", "dbt_build", "publish_marts")


def test_tasks_are_reported_in_dag_order_while_the_run_goes(shop_run: ShopRun) -> None:
    done = [(event, at) for event, at in shop_run.events if event["event"] == "done"]
    names = [event["task"] for event, _ in done]
    assert [n for n in names if n in CORE] == CORE
    task, after, before = BESIDE
    assert names.index(after) < names.index(task) < names.index(before)
    assert not [e for e, _ in shop_run.events if e["event"] == "failed"]
    arrival = [at for _, at in done]
    assert arrival == sorted(arrival)
    # the first task's line reached us long before the run ended: shown live, not at the end
    assert shop_run.ended - arrival[0] > 10
    assert all(event["seconds"] >= 0 for event, _ in done)


def test_each_task_has_a_summary_a_person_can_read(shop_run: ShopRun) -> None:
    summary = {e["task"]: e["summary"] for e, _ in shop_run.events if e["event"] == "done"}
    assert summary["stage_landing"].split(":")[0].endswith("unchanged")  # "N new file(s), 0 unchanged"
    assert summary["stage_landing"].startswith(("1", "2", "3", "4", "5", "6", "7", "8", "9"))
    assert summary["gate_incoming_batch"].startswith("incoming gate: ")
    assert "suite(s) passed" in summary["gate_incoming_batch"]
    assert "models built" in summary["dbt_build"] and "tests passed" in summary["dbt_build"]
    assert summary["export_segments"].startswith("exported rows per destination: crm ")
    assert summary["publish_marts"].startswith("published ")


def test_dbt_reports_its_n_of_m_inside_the_step(shop_run: ShopRun) -> None:
    events = [e for e, _ in shop_run.events]
    start = next(i for i, e in enumerate(events) if e["event"] == "start" and e["task"] == "dbt_build")
    end = next(i for i, e in enumerate(events) if e["event"] == "done" and e["task"] == "dbt_build")
    notes = [e for e in events[start:end] if e["event"] == "note"]
    build = [n for n in notes if n["total"] == max(n["total"] for n in notes)]
    assert len(build) > 50
    assert max(n["done"] for n in build) == build[0]["total"]  # threads finish out of order
    assert len({n["done"] for n in build}) == len(build)
