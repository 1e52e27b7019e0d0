"""fit_clv on a warehouse whose data cannot support a fit: empty CLV marts and a clear line, no failure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from pipelines.clv import fit_clv

SUMMARY = """
create schema marts;
create table marts.customer_clv_summary as
select * from (values
    ('c1', 0, 0, 30, cast(null as double), true, 0, 0, 10, 0, 'day', 20, date '2024-07-01'),
    ('c2', 1, 5, 40, 12.5, true, 1, 5, 20, 0, 'day', 20, date '2024-07-01')
) t(customer_id, frequency, recency_days, t_days, avg_repeat_value, in_calibration,
    calibration_frequency, calibration_recency_days, calibration_t_days, holdout_frequency,
    purchase_unit, holdout_days, as_of_date)
"""


def test_too_little_data_writes_empty_marts_and_says_why(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(SUMMARY)
    lines = fit_clv(warehouse, date(2024, 7, 1), 0.1, datetime(2024, 7, 1, 6))
    assert "not fitted on 2 customers" in lines[0] and "two repeat buyers" in lines[0]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in ("customer_clv", "clv_model_parameters", "clv_holdout_validation"):
            assert con.execute(f"select count(*) from marts.{table}").fetchall() == [(0,)], table
        columns = {c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_name = 'customer_clv'"
        ).fetchall()}  # fmt: skip
    assert {"p_alive", "clv_12m", "clv_decile", "expected_purchases_365d"} <= columns
