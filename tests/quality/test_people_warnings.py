"""Warnings a person can act on: the check in words, its bounds and what the batch had;
an optional column a shop does not fill is not a warning; rejected batches are listed."""

from __future__ import annotations

from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from expectations.suites import warning
from pipelines.cli.quality import rejected_lines
from pipelines.quality.rejected import record_rejection
from pipelines.quality.runner import run_suite


def _suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(
        name="people",
        expectations=[
            gxe.ExpectTableRowCountToBeBetween(min_value=3, meta=warning("enough orders for a day")),
            gxe.ExpectColumnValuesToNotBeNull(column="currency", meta=warning("currency set")),
            gxe.ExpectColumnValuesToBeBetween(
                column="discount", min_value=0, max_value=100, meta=warning("discounts are 0-100")
            ),
        ],
    )


def _run(frame: pd.DataFrame, tmp_path: Path) -> dict[str, str]:
    result = run_suite(_suite(), frame, "incoming.orders", "r1", tmp_path, data_docs=False)
    return {w.expectation: w.plain() for w in result.warnings}


def test_warnings_say_the_bounds_and_the_observed_value(tmp_path: Path) -> None:
    frame = pd.DataFrame({"currency": ["INR", None], "discount": [5.0, 250.0]})
    found = _run(frame, tmp_path)
    assert found["expect_table_row_count_to_be_between"] == (
        "table: enough orders for a day — observed 2; expected at least 3"
        " [expect_table_row_count_to_be_between]"
    )
    assert found["expect_column_values_to_not_be_null"].startswith(
        "currency: currency set — 1 row(s) outside; expected no empty values"
    )
    assert found["expect_column_values_to_be_between"].startswith(
        "discount: discounts are 0-100 — 1 row(s) outside; expected between 0 and 100; e.g. 250.0"
    )


def test_an_optional_column_left_empty_does_not_warn(tmp_path: Path) -> None:
    frame = pd.DataFrame({"currency": [None, None, None], "discount": [None, None, None]})
    assert _run(frame, tmp_path) == {}


def test_rejected_batches_are_listed_newest_first(tmp_path: Path) -> None:
    assert rejected_lines(tmp_path) == ["rejected batches (nothing of them was loaded): 0"]
    record_rejection(tmp_path, "run_a", "orders/a.csv", "missing required column 'amount'")
    record_rejection(tmp_path, "run_b", "orders/b.csv", "empty file (no header)")
    lines = rejected_lines(tmp_path)
    assert lines[0] == "rejected batches (nothing of them was loaded): 2"
    assert {line.split("run ")[1] for line in lines[1:]} == {
        "run_a: orders/a.csv: missing required column 'amount'",
        "run_b: orders/b.csv: empty file (no header)",
    }
