"""Every DAG file imports cleanly and is wired the way the one-writer rule needs."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DAGS = Path(__file__).resolve().parent.parent / "dags"


@pytest.fixture(scope="module")
def dagbag(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("airflow")
    os.environ["AIRFLOW_HOME"] = str(home)
    os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS))


def test_every_dag_imports_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert {p.stem for p in DAGS.glob("*.py")} <= set(dagbag.dag_ids), "one DAG per file, named by dag_id"


def test_daily_dag_is_a_chain_but_for_the_docs_beside_the_export(dagbag) -> None:
    """One writer at a time: the tasks run one after another, except generate_dbt_docs, which
    only reads (a shared lock) and runs beside the export and its quality record."""
    dag = dagbag.dags["rapport_daily"]
    assert dag.max_active_runs == 1
    order = [t.task_id for t in dag.topological_sort()]
    assert order.index("dbt_build_clv") < order.index("generate_dbt_docs") < order.index("publish_marts")
    assert [t for t in order if t != "generate_dbt_docs"] == [
        "extract_shop_db",
        "stage_landing",
        "gate_incoming_batch",
        "commit_load",
        "record_quality_results",
        "dbt_build",
        "fit_clv",
        "dbt_build_clv",
        "export_segments",
        "record_export_quality_results",
        "publish_marts",
        "build_report",
        "forget_erased",
        "summarize",
    ]
    docs = dag.get_task("generate_dbt_docs")
    assert docs.upstream_task_ids == {"dbt_build_clv"} and docs.downstream_task_ids == {"publish_marts"}
    assert dag.get_task("publish_marts").upstream_task_ids == {
        "record_export_quality_results",
        "generate_dbt_docs",
    }
    assert dag.get_task("dbt_build_clv").downstream_task_ids == {"export_segments", "generate_dbt_docs"}
    for task in dag.tasks:
        if task.task_id not in ("dbt_build_clv", "generate_dbt_docs", "publish_marts"):
            assert len(task.downstream_list) <= 1 and len(task.upstream_list) <= 1


def test_daily_dag_declares_assets_and_metadata(dagbag) -> None:
    dag = dagbag.dags["rapport_daily"]
    outlets = {o.uri for t in dag.tasks for o in t.outlets}
    assert outlets == {
        "rapport://warehouse/raw",
        "rapport://warehouse/marts",
        "rapport://exports/segments",
        "rapport://serving/marts",
    }
    assert dag.tags and dag.doc_md and str(dag.start_date.tzinfo) == "UTC"
