"""fit_clv on a warehouse whose data cannot support a fit: empty CLV marts and a clear line, no failure."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.clv import fit as clv_fit
from pipelines.clv import fit_clv
from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd

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


# The 37 buyers of a generated 50-customer shop (seed 42, `make spark`'s default): BG/NBD fits
# a and b in the thousands, whose 2F1 overflows into NaN scores for everyone. Before the check,
# the NaN reached `cast(... as decimal)` and the fit_clv task failed.
DEGENERATE = """
create schema marts;
create table marts.customer_clv_summary as
select *, 'day' as purchase_unit, 180 as holdout_days, date '2026-06-18' as as_of_date from (values
    ('C00000001', 1, 14, 386, 33.74, true, 1, 14, 206, 0),
    ('C00000003', 1, 12, 389, 62.0, true, 1, 12, 209, 0),
    ('C00000004', 4, 402, 594, 62.7375, true, 4, 402, 414, 0),
    ('C00000007', 2, 70, 435, 41.125, true, 2, 70, 255, 0),
    ('C00000010', 0, 0, 487, null, true, 0, 0, 307, 0),
    ('C00000012', 1, 112, 451, 107.99, true, 1, 112, 271, 0),
    ('C00000013', 1, 231, 457, 30.99, true, 1, 231, 277, 0),
    ('C00000014', 2, 440, 440, 5.64, true, 1, 138, 260, 1),
    ('C00000016', 0, 0, 391, null, true, 0, 0, 211, 0),
    ('C00000018', 0, 0, 350, null, true, 0, 0, 170, 0),
    ('C00000019', 0, 0, 346, null, true, 0, 0, 166, 0),
    ('C00000020', 1, 201, 326, 24.8, true, 0, 0, 146, 1),
    ('C00000021', 1, 1, 327, 49.99, true, 1, 1, 147, 0),
    ('C00000022', 0, 0, 326, null, true, 0, 0, 146, 0),
    ('C00000023', 0, 0, 294, null, true, 0, 0, 114, 0),
    ('C00000024', 0, 0, 273, null, true, 0, 0, 93, 0),
    ('C00000025', 0, 0, 277, null, true, 0, 0, 97, 0),
    ('C00000026', 0, 0, 273, null, true, 0, 0, 93, 0),
    ('C00000027', 1, 58, 259, 7.22, true, 1, 58, 79, 0),
    ('C00000028', 0, 0, 234, null, true, 0, 0, 54, 0),
    ('C00000029', 0, 0, 232, null, true, 0, 0, 52, 0),
    ('C00000030', 0, 0, 226, null, true, 0, 0, 46, 0),
    ('C00000031', 0, 0, 228, null, true, 0, 0, 48, 0),
    ('C00000033', 0, 0, 220, null, true, 0, 0, 40, 0),
    ('C00000034', 2, 34, 212, 22.0, true, 1, 28, 32, 1),
    ('C00000035', 1, 162, 210, 10.0, true, 0, 0, 30, 1),
    ('C00000036', 0, 0, 203, null, true, 0, 0, 23, 0),
    ('C00000037', 1, 107, 149, 12.58, false, null, null, null, null),
    ('C00000039', 1, 80, 132, 21.99, false, null, null, null, null),
    ('C00000041', 0, 0, 100, null, false, null, null, null, null),
    ('C00000043', 0, 0, 93, null, false, null, null, null, null),
    ('C00000044', 0, 0, 78, null, false, null, null, null, null),
    ('C00000045', 0, 0, 85, null, false, null, null, null, null),
    ('C00000046', 0, 0, 64, null, false, null, null, null, null),
    ('C00000047', 0, 0, 54, null, false, null, null, null, null),
    ('C00000048', 0, 0, 44, null, false, null, null, null, null),
    ('C00000049', 0, 0, 17, null, false, null, null, null, null)
) t(customer_id, frequency, recency_days, t_days, avg_repeat_value, in_calibration,
    calibration_frequency, calibration_recency_days, calibration_t_days, holdout_frequency)
"""


def test_degenerate_parameters_write_empty_marts_not_nan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Where L-BFGS-B lands on these 37 customers depends on the machine's floating point (a, b in
    # the thousands on one, a = 335, b = 292 with finite scores on another), so the fit is pinned
    # to degenerate parameters of that size, whose 2F1 overflows into NaN scores.
    def degenerate(*args: object, **kwargs: object) -> tuple[BgNbd, float]:
        fitted, loss = fit_bg_nbd(*args, **kwargs)  # type: ignore[arg-type]
        return BgNbd(fitted.r, fitted.alpha, 3000.0, 2500.0, fitted.modified), loss

    monkeypatch.setattr(clv_fit, "fit_bg_nbd", degenerate)
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute(DEGENERATE)
    lines = fit_clv(warehouse, date(2026, 6, 18), 0.1, datetime(2026, 6, 18, 6))
    assert lines[0].startswith("clv: not fitted on 37 customers: bg_nbd scores not finite"), lines
    with duckdb.connect(str(warehouse), read_only=True) as con:
        for table in ("customer_clv", "clv_model_parameters", "clv_holdout_validation"):
            assert con.execute(f"select count(*) from marts.{table}").fetchall() == [(0,)], table
