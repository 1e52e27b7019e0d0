"""The classic CDNOW validation: 39 weeks of calibration, 39 weeks of holdout (as of 1998-07-01).

The summary columns the dbt mart would give are computed here from the fixture; the
calibration fit must be the paper's, and the table must count every customer and purchase.
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from pipelines.clv.holdout import holdout_validation
from tests.clv.cdnow import BG_NBD, ORDERS

CUT, AS_OF = date(1997, 10, 1), date(1998, 7, 1)


def _summary() -> pl.DataFrame:
    days = (
        pl.read_csv(ORDERS, schema_overrides={"customer_id": pl.String})
        .with_columns(day=pl.col("ordered_at").str.slice(0, 10).str.to_date())
        .filter(pl.col("day") < AS_OF)
        .select("customer_id", "day")
        .unique()
    )
    cal = pl.col("day") < CUT
    first = pl.col("day").min()
    return days.group_by("customer_id").agg(
        in_calibration=cal.any(),
        calibration_frequency=cal.sum() - 1,
        calibration_recency_days=(pl.col("day").filter(cal).max() - first).dt.total_days(),
        calibration_t_days=(pl.lit(CUT) - pl.duration(days=1) - first).dt.total_days(),
        holdout_frequency=(~cal).sum(),
        holdout_days=pl.lit((AS_OF - CUT).days),
    )


def test_holdout_of_39_weeks_refits_the_paper_and_counts_everyone() -> None:
    summary = _summary()
    model, _, table = holdout_validation(summary, 7.0)
    for name, expected in BG_NBD.items():
        assert getattr(model, name) == pytest.approx(expected, rel=0.01), name
    assert table["frequency_bucket"].to_list() == list(range(8))
    assert table["customers"].sum() == 2357
    assert table["actual_purchases"].sum() == summary["holdout_frequency"].sum()
    # the model tracks the holdout: within 15% in total and for the one-time buyers (bucket 0)
    total = table.select(pl.col("predicted_purchases", "actual_purchases").sum()).row(0)
    assert total[0] == pytest.approx(total[1], rel=0.15)
    zero = table.row(0, named=True)
    assert zero["predicted_mean"] == pytest.approx(zero["actual_mean"], rel=0.15)
