"""The quality page opens with the run's verdict: suites, warnings, rejected batches, quarantine."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.quality.quarantined import write_quarantine
from pipelines.quality.rejected import record_rejection
from pipelines.quality.report import persist, write_index
from pipelines.quality.result import ExpectationOutcome, SuiteResult


def test_summary_counts_and_examples(tmp_path: Path) -> None:
    warehouse, quality = tmp_path / "w.duckdb", tmp_path / "quality"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "create schema raw; create table raw._quarantine (entity varchar, source_file varchar,"
            " source_line bigint, column_name varchar, value varchar, reason varchar, run_id varchar)"
        )
        con.execute(
            "insert into raw._quarantine values"
            " ('orders', 'orders/a.csv', 7, 'amount', '-5', 'negative value', 'r1'),"
            " ('orders', 'orders/a.csv', 9, 'amount', '-1', 'negative value', 'r1'),"
            " ('orders', 'orders/old.csv', 3, 'amount', 'x', 'wrong type', 'r0')"
        )
    warned = ExpectationOutcome("expect_table_row_count_to_be_between", None, False, "warning", observed="0")
    persist(SuiteResult("incoming_orders", "incoming.orders", "r1", 10, (warned,)), quality)
    record_rejection(quality, "r1", "returns/b.csv", "empty file (no header)")
    write_quarantine(warehouse, quality, "r1")
    html = write_index(quality / "r1").read_text()
    summary = html[html.index("<h2>Summary</h2>") : html.index("<h2>incoming_orders")]
    assert "<th>suites passed</th><td>1 of 1</td>" in summary
    assert "<th>warnings</th><td>1</td>" in summary
    assert "<th>rejected batches</th><td>1</td>" in summary
    assert "returns/b.csv: empty file (no header)" in summary
    assert "<th>rows quarantined</th><td>2</td>" in summary  # this run's only, not r0's
    assert "orders/a.csv:7 amount=-5; orders/a.csv:9 amount=-1" in summary
