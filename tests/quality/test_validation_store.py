from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.quality import ExpectationOutcome, SuiteResult, append_results

NOT_NULL = ExpectationOutcome("expect_column_values_to_not_be_null", "email", False, "critical", 3)
ROW_COUNT = ExpectationOutcome("expect_table_row_count_to_be_between", None, True, "warning")


def suite(run_id: str, batch: str) -> SuiteResult:
    return SuiteResult("segment_export", batch, run_id, 10, (NOT_NULL, ROW_COUNT))


def test_append_is_idempotent_per_run_and_keeps_other_runs(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert append_results(con, [suite("r1", "champions"), suite("r1", "win_back")]) == 4
        append_results(con, [suite("r1", "champions")])  # a retried task
        append_results(con, [suite("r2", "champions")])
        rows = con.execute(
            'select run_id, batch, expectation, "column", success, unexpected_count, severity'
            " from quality.validation_results order by all"
        ).fetchall()
    assert len(rows) == 6
    assert rows[0] == (
        "r1", "champions", "expect_column_values_to_not_be_null", "email", False, 3, "critical"
    )  # fmt: skip
    assert rows[1] == (
        "r1", "champions", "expect_table_row_count_to_be_between", None, True, None, "warning"
    )  # fmt: skip


def test_empty_results_create_the_table(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        assert append_results(con, [SuiteResult("incoming_orders", "incoming.orders", "r", 0)]) == 0
        assert con.execute("select count(*) from quality.validation_results").fetchall() == [(0,)]
