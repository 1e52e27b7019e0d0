"""Progress records: written in order by the stages, followed while the command runs, shown per task."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

import pytest

from pipelines.load.errors import BatchRejected
from pipelines.progress import note, reported
from pipelines.progress.cause import cause_and_hint
from pipelines.progress.follow import read_records, run_following
from pipelines.progress.record import ENV
from pipelines.progress.show import RunView
from pipelines.progress.verdict import failure_lines
from pipelines.quality.result import ExpectationOutcome, QualityGateFailed, SuiteResult


def test_a_quality_gate_failure_is_one_line_with_its_first_detail() -> None:
    failure = ExpectationOutcome("expect_column_values_to_not_be_null", "order_id", False, "critical", 3)
    other = ExpectationOutcome("expect_column_values_to_be_unique", "order_id", False, "critical", 2)
    result = SuiteResult("orders_incoming", "incoming.orders", "r1", 10, (failure, other), "/q/r1/x.json")
    cause, hint = cause_and_hint(QualityGateFailed([result]))
    assert "\n" not in cause
    assert cause == (
        "QualityGateFailed: quality gate failed (critical expectations): orders_incoming[incoming.orders]"
        " expect_column_values_to_not_be_null(order_id): 3 unexpected (+1 more in the log)"
    )
    assert "rapport quality" in hint


def test_a_batch_rejection_names_the_file_and_says_what_to_do() -> None:
    cause, hint = cause_and_hint(BatchRejected("orders/2024-07-01.csv", "empty file (no header)"))
    assert cause == "BatchRejected: orders/2024-07-01.csv: empty file (no header)"
    assert "landing file" in hint


def test_duckdb_out_of_memory_names_the_caps_to_raise() -> None:
    import duckdb

    con = duckdb.connect()
    con.execute("set memory_limit = '10MB'")
    with pytest.raises(duckdb.OutOfMemoryException) as raised:
        con.execute("select distinct md5(range::varchar) || range from range(3000000)").fetchall()
    cause, hint = cause_and_hint(raised.value)
    assert cause.startswith("OutOfMemoryException: Out of Memory Error") and "\n" not in cause
    assert "RAPPORT_DUCKDB_STAGE_" in hint and "FORGET 8GB" in hint


def test_an_unknown_error_still_gets_a_next_step() -> None:
    cause, hint = cause_and_hint(KeyError("order_id"))
    assert cause == "KeyError: 'order_id'"
    assert "log" in hint


def test_stages_record_start_notes_done_and_failure_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = tmp_path / "progress.jsonl"
    monkeypatch.setenv(ENV, str(records))
    monkeypatch.setenv("AIRFLOW_CTX_TASK_ID", "stage_landing")

    @reported("ignored_when_airflow_names_the_task")
    def fine() -> list[str]:
        note("orders.csv", 1, 2)
        return ["3 new file(s), 0 unchanged", "  detail"]

    @reported("x")
    def broken() -> list[str]:
        raise BatchRejected("orders.csv", "empty file (no header)")

    assert fine() == ["3 new file(s), 0 unchanged", "  detail"]
    with pytest.raises(BatchRejected):
        broken()
    events = read_records(records)
    assert [(e["event"], e["task"]) for e in events] == [
        ("start", "stage_landing"), ("note", "stage_landing"), ("done", "stage_landing"),
        ("start", "stage_landing"), ("failed", "stage_landing"),
    ]  # fmt: skip
    assert events[2]["summary"] == "3 new file(s), 0 unchanged"
    assert events[4]["cause"] == "BatchRejected: orders.csv: empty file (no header)"
    assert "Traceback" not in records.read_text()


def test_without_the_env_var_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert reported("t")(lambda: "ok")() == "ok"
    assert list(tmp_path.iterdir()) == []


CHILD = """
import json, os, sys, time
path = os.environ["RAPPORT_PROGRESS_FILE"]
for task in ("stage_landing", "dbt_build"):
    with open(path, "a") as f:
        f.write(json.dumps({"event": "done", "task": task, "seconds": 1.0, "summary": task}) + "\\n")
    time.sleep(1.0)
print("chatty output " * 5000)
sys.exit(3)
"""


def test_records_reach_the_caller_while_the_command_still_runs(tmp_path: Path) -> None:
    seen: list[tuple[str, float]] = []
    proc = run_following(
        [sys.executable, "-c", CHILD], {}, tmp_path / "p.jsonl",
        lambda e: seen.append((e["task"], time.monotonic())), poll_seconds=0.05,
    )  # fmt: skip
    ended = time.monotonic()
    assert proc.returncode == 3
    assert "chatty output" in proc.stdout  # output kept for the log, never a blocked pipe
    assert [task for task, _ in seen] == ["stage_landing", "dbt_build"]
    assert ended - seen[0][1] > 1.5  # the first record arrived a good while before the end
    assert ended - seen[1][1] > 0.5


def test_plain_lines_one_per_task_and_dbt_quarters() -> None:
    out = io.StringIO()
    with RunView(out, live=False) as view:
        view({"event": "start", "task": "dbt_build"})
        for done in range(1, 9):
            view({"event": "note", "task": "dbt_build", "text": f"m{done} OK", "done": done, "total": 8})
        view({"event": "done", "task": "dbt_build", "seconds": 12.34, "summary": "dbt build: 8 models built"})
    lines = out.getvalue().splitlines()
    assert [line.split(":")[1].strip().split(" ")[0] for line in lines[:4]] == ["2", "4", "6", "8"]
    assert lines[4] == "  ok   dbt_build                12.3 s  dbt build: 8 models built"
    assert len(lines) == 5


def test_the_live_display_prints_the_same_task_lines() -> None:
    out = io.StringIO()
    with RunView(out, live=True) as view:
        view({"event": "start", "task": "stage_landing"})
        view({"event": "done", "task": "stage_landing", "seconds": 1.0, "summary": "2 new file(s)"})
    assert "ok   stage_landing" in out.getvalue()


def test_failure_lines_put_the_cause_first(tmp_path: Path) -> None:
    failed = {"event": "failed", "task": "stage_landing", "cause": "BatchRejected: a.csv: empty"}
    failed["hint"] = "fix"
    lines = failure_lines([failed], "", tmp_path / "run.log")
    assert lines == ["stage_landing failed: BatchRejected: a.csv: empty", "  what to do: fix",
                     f"  log: {tmp_path / 'run.log'}"]  # fmt: skip


def test_without_a_record_the_last_error_line_of_the_log_is_the_cause() -> None:
    output = "Traceback (most recent call last):\n  File x\nairflow.exceptions.AirflowException: no DAG\n"
    assert failure_lines([], output, "log")[0] == "run failed: AirflowException: no DAG"
    assert json.dumps(failure_lines([], "", "log"))  # always something to print


DBT_LINES = [
    "12:00:01  1 of 3 START sql view model staging.stg_orders ....... [RUN]",
    "12:00:01  1 of 1 OK hook: rapport.on-run-start.0 ....... [OK in 0.09s]",
    "12:00:02  1 of 3 OK created sql view model staging.stg_orders ....... [OK in 0.16s]",
    "12:00:03  3 of 3 PASS unique_segment_brand_ambassadors_customer_id_with_a_long_name [PASS in 0.03s]",
    "12:00:03  2 of 3 NO-OP exposure crm ....... [NO-OP in 0.00s]",
]


def test_dbt_output_passes_through_and_each_finished_node_is_noted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import subprocess

    from pipelines.transform import _stream

    records = tmp_path / "p.jsonl"
    monkeypatch.setenv(ENV, str(records))
    monkeypatch.setenv("AIRFLOW_CTX_TASK_ID", "dbt_build")
    script = f"print({chr(10).join(DBT_LINES)!r})"
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert _stream(child).splitlines() == DBT_LINES
    assert capsys.readouterr().out.splitlines() == DBT_LINES  # the task log keeps dbt's output
    notes = [(e["done"], e["total"], e["text"]) for e in read_records(records)]
    assert notes == [
        (1, 3, "stg_orders OK"),
        (3, 3, "unique_segment_brand_ambassadors_customer_id_with_a_long_name PASS"),
        (2, 3, "crm NO-OP"),
    ]
