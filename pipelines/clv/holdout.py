"""The classic calibration/holdout check (Fader, Hardie & Lee 2005, figure 3 and table).

Fit BG/NBD on the history before the holdout, predict each calibration customer's
purchases in the holdout, and compare the mean prediction with the mean actual count per
calibration frequency.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd

TOP_BUCKET = 7  # frequencies of 7 and more share a bucket, as in the paper's plot


def holdout_validation(
    summary: pl.DataFrame, unit_days: float, modified: bool = False, start: BgNbd | None = None
) -> tuple[BgNbd, float, pl.DataFrame]:
    """(calibration model, its log-likelihood, one row per calibration frequency bucket)."""
    cal = summary.filter(pl.col("in_calibration"))
    key = ("calibration_frequency", "calibration_recency_days", "calibration_t_days")
    # predictions depend on (x, t_x, T) only: one per distinct row, weighted by its customers
    combos = (  # sorted, so sums run in the same order on every run
        cal.group_by(key).agg(customers=pl.len(), actual=pl.col("holdout_frequency").sum()).sort(key)
    )
    x, tx, T = (combos[c].to_numpy().astype(np.float64) for c in key)
    model, ll = fit_bg_nbd(x, tx / unit_days, T / unit_days, combos["customers"].to_numpy(), modified, start)
    horizon = float(cal["holdout_days"][0]) / unit_days
    predicted = model.expected_purchases(horizon, x, tx / unit_days, T / unit_days)
    table = (
        combos.with_columns(
            frequency_bucket=pl.min_horizontal("calibration_frequency", pl.lit(TOP_BUCKET)),
            predicted=pl.Series(predicted) * pl.col("customers"),
        )
        .group_by("frequency_bucket", maintain_order=True)
        .agg(
            customers=pl.col("customers").sum(),
            actual_purchases=pl.col("actual").sum(),
            predicted_purchases=pl.col("predicted").sum(),
        )
        .with_columns(
            actual_mean=pl.col("actual_purchases") / pl.col("customers"),
            predicted_mean=pl.col("predicted_purchases") / pl.col("customers"),
        )
        .sort("frequency_bucket")
    )
    return model, ll, table
