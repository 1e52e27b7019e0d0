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


def test_daily_dag_is_a_single_chain(dagbag) -> None:
    """Each task opens the single-writer warehouse, so no two may ever run at once."""
    dag = dagbag.dags["rapport_daily"]
    assert dag.max_active_runs == 1
    order = [t.task_id for t in dag.topological_sort()]
    assert order == [
        "extract_shop_db",
        "stage_landing",
        "gate_incoming_batch",
        "commit_load",
        "record_quality_results",
        "check_source_freshness",
        "dbt_build",
        "fit_clv",
        "dbt_build_clv",
        "export_segments",
        "record_export_quality_results",
        "generate_dbt_docs",
        "publish_marts",
        "build_report",
        "forget_erased",
        "summarize",
    ]
    for task in dag.tasks:
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
