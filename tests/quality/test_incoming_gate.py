from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.quality import QualityGateFailed, SuiteResult, validate_incoming
from tests.quality.factories import clean_orders


def test_clean_batch_passes_without_warnings(warehouse_with: Callable[..., Path], tmp_path: Path) -> None:
    result = validate_incoming(warehouse_with(clean_orders()), "run-1", tmp_path / "q", data_docs=False)
    assert result.success, result.summary_lines()
    assert result.row_count == 6
    assert result.warnings == ()
    assert {r.severity for r in result.results} == {"critical", "warning"}


def _mutate(index: int, **changes: Any) -> list[dict[str, Any]]:
    rows = clean_orders()
    rows[index] = {**rows[index], **changes}
    return rows


@pytest.mark.parametrize(
    ("rows", "expectation", "column", "example"),
    [
        # orders may be restated by a later file: unique per file, not per batch
        (_mutate(4, order_id="o1"), "expect_compound_columns_to_be_unique", "_source_file,order_id", "'o1'"),
        (_mutate(2, customer_id=None), "expect_column_values_to_not_be_null", "customer_id", "null"),
        (_mutate(3, amount="-5.00"), "expect_column_values_to_be_between", "amount", "-5.0"),
        (_mutate(1, amount="25000000.00"), "expect_column_values_to_be_between", "amount", "25000000"),
        (_mutate(5, status="lost"), "expect_column_values_to_be_in_set", "status", "'lost'"),
        (_mutate(0, ordered_at=None), "expect_column_values_to_not_be_null", "ordered_at", "null"),
    ],
    ids=["duplicate-id", "null-customer", "negative", "too-large", "unknown-status", "no-date"],
)
def test_each_defect_fails_exactly_its_expectation(
    warehouse_with: Callable[..., Path],
    tmp_path: Path,
    rows: list[dict[str, Any]],
    expectation: str,
    column: str,
    example: str,
) -> None:
    result = validate_incoming(warehouse_with(rows), "run-1", tmp_path / "q", data_docs=False)
    assert not result.success
    [failure] = result.critical_failures
    assert (failure.expectation, failure.column) == (expectation, column)
    assert failure.unexpected_count == (2 if column.endswith("order_id") else 1)
    # The example points at the offending value and where it came from.
    assert failure.examples[0].startswith(example)
    assert "orders/date=2024-03-01/orders.csv:" in failure.examples[0]


def test_gate_message_names_expectation_column_count_and_source(
    warehouse_with: Callable[..., Path], tmp_path: Path
) -> None:
    result = validate_incoming(
        warehouse_with(_mutate(5, status="lost")), "run-1", tmp_path / "q", data_docs=False
    )
    with pytest.raises(QualityGateFailed) as raised:
        result.raise_for_failures()
    message = str(raised.value)
    assert "expect_column_values_to_be_in_set(status): 1 unexpected" in message
    assert "'lost' (at orders/date=2024-03-01/orders.csv:7)" in message
    assert str(tmp_path / "q" / "run-1" / "index.html") in message


def test_amount_ceiling_is_a_parameter(warehouse_with: Callable[..., Path], tmp_path: Path) -> None:
    warehouse = warehouse_with(_mutate(1, amount="500.00"))
    assert validate_incoming(warehouse, "r", tmp_path / "q", data_docs=False).success
    strict = validate_incoming(warehouse, "r", tmp_path / "q", max_amount=100, data_docs=False)
    assert [f.column for f in strict.critical_failures] == ["amount"]


def test_warnings_do_not_block(warehouse_with: Callable[..., Path], tmp_path: Path) -> None:
    rows = _mutate(2, currency=None)
    rows[3] = {**rows[3], "currency": "euro"}
    result = validate_incoming(warehouse_with(rows), "run-1", tmp_path / "q", data_docs=False)
    assert result.success
    assert {(w.expectation, w.column) for w in result.warnings} == {
        ("expect_column_values_to_not_be_null", "currency"),
        ("expect_column_values_to_match_regex", "currency"),
    }


def test_missing_required_column_is_reported_not_crashed(
    warehouse_with: Callable[..., Path], tmp_path: Path
) -> None:
    rows = [{k: v for k, v in r.items() if k != "customer_id"} for r in clean_orders()]
    warehouse = warehouse_with(rows, drop=("customer_id",))
    result = validate_incoming(warehouse, "r", tmp_path / "q", data_docs=False)
    failed = {(f.expectation, f.column) for f in result.critical_failures}
    assert ("expect_column_to_exist", "customer_id") in failed
    not_null = next(f for f in result.critical_failures if f.expectation.endswith("not_be_null"))
    assert not_null.error is not None and "customer_id" in not_null.error


def test_missing_or_empty_table_is_nothing_to_validate(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    result = validate_incoming(warehouse, "r", tmp_path / "q")
    assert result.success and result.row_count == 0 and result.results == ()
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema incoming; create table incoming.orders (order_id varchar)")
    assert validate_incoming(warehouse, "r", tmp_path / "q").success


def test_results_are_persisted_as_json_and_offline_html(
    warehouse_with: Callable[..., Path], tmp_path: Path
) -> None:
    run_id = "scheduled__2024-03-06T00:00:00+00:00"  # Airflow-style ids must be path-safe
    result = validate_incoming(warehouse_with(_mutate(3, amount="-1")), run_id, tmp_path / "q")
    run_dir = tmp_path / "q" / run_id
    stored = json.loads((run_dir / "incoming_orders.incoming.orders.json").read_text())
    assert SuiteResult.from_dict(stored) == result
    assert stored["success"] is False
    html = (run_dir / "index.html").read_text()
    assert "expect_column_values_to_be_between" in html and "FAILED" in html
    assert "<script" not in html and "<link" not in html and "http" not in html
    assert (run_dir / "data_docs" / "index.html").exists()


def test_the_staged_batch_is_read_in_place_not_copied(
    warehouse_with: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The copy into a scratch file was most of the gate at 1M (~10 s CPU of a full day)."""
    import pipelines.quality.frames as frames

    def no_copy(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the staged batch was copied")

    monkeypatch.setattr(frames, "copy_batch", no_copy)
    result = validate_incoming(
        warehouse_with(_mutate(4, order_id="o1")), "run-1", tmp_path / "q", data_docs=False
    )
    assert not result.success and result.row_count == 6
    (failed,) = [r for r in result.results if not r.success]
    assert failed.examples and "orders.csv" in failed.examples[0]
