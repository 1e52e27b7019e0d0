"""The default as-of date: the day after the last order, whatever the layout."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.asof import default_as_of


def test_daily_partitions_name_the_day(tmp_path: Path) -> None:
    for day in ("2024-03-01", "2024-03-09", "2024-02-28"):
        (tmp_path / "orders" / f"date={day}").mkdir(parents=True)
        (tmp_path / "orders" / f"date={day}" / "orders.csv").write_text("order_id\n")
    assert default_as_of(tmp_path) == date(2024, 3, 10)


def test_a_flat_file_is_scanned_and_an_absurd_future_row_ignored(tmp_path: Path) -> None:
    (tmp_path / "orders.csv").write_text(
        "order_id,customer_id,ordered_at,amount\n"
        "o1,c1,2024-05-03 23:59:59,1\no2,c1,2099-01-01 00:00:00,1\no3,c1,not a date,1\n"
    )
    assert default_as_of(tmp_path) == date(2024, 5, 4)
    # and the default connection is left usable (duckdb 2.0 keeps half-read results open)
    assert duckdb.sql("select 1").fetchall() == [(1,)]


def test_no_orders_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "customers.csv").write_text("customer_id\nc1\n")
    with pytest.raises(FileNotFoundError, match="no orders file"):
        default_as_of(tmp_path)
