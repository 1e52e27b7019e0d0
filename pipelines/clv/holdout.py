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
    summary: pl.DataFrame, unit_days: float, modified: bool = False
) -> tuple[BgNbd, float, pl.DataFrame]:
    """(calibration model, its log-likelihood, one row per calibration frequency bucket)."""
    cal = summary.filter(pl.col("in_calibration"))
    combos = cal.group_by("calibration_frequency", "calibration_recency_days", "calibration_t_days").len()
    model, ll = fit_bg_nbd(
        combos["calibration_frequency"].to_numpy(),
        combos["calibration_recency_days"].to_numpy() / unit_days,
        combos["calibration_t_days"].to_numpy() / unit_days,
        combos["len"].to_numpy(),
        modified,
    )
    holdout_days = float(cal["holdout_days"][0])
    predicted = model.expected_purchases(
        holdout_days / unit_days,
        cal["calibration_frequency"].to_numpy().astype(np.float64),
        cal["calibration_recency_days"].to_numpy() / unit_days,
        cal["calibration_t_days"].to_numpy() / unit_days,
    )
    table = (
        cal.with_columns(
            frequency_bucket=pl.min_horizontal("calibration_frequency", pl.lit(TOP_BUCKET)),
            predicted=pl.Series(predicted),
        )
        .group_by("frequency_bucket")
        .agg(
            customers=pl.len(),
            actual_purchases=pl.col("holdout_frequency").sum(),
            predicted_purchases=pl.col("predicted").sum(),
            actual_mean=pl.col("holdout_frequency").mean(),
            predicted_mean=pl.col("predicted").mean(),
        )
        .sort("frequency_bucket")
    )
    return model, ll, table
