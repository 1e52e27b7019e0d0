"""Per-customer predictions from fitted BG/NBD and Gamma-Gamma models.

BG/NBD quantities depend only on (x, t_x, T), so they are computed once per distinct
combination and joined back: at 1M customers that is a fraction of the rows.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.clv.bgnbd import BgNbd
from pipelines.clv.gamma_gamma import GammaGamma

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0}
HORIZONS_DAYS = (30, 90, 365)
MONTH_DAYS = 365 / 12  # 12 months = 365 days, so the CLV horizon and the 365-day count agree
KEY = ("frequency", "recency_days", "t_days")


def _per_combination(summary: pl.DataFrame, bg: BgNbd, unit: float, monthly_rate: float) -> pl.DataFrame:
    combos = summary.select(KEY).unique().sort(KEY)
    x, tx, T = (combos[c].to_numpy().astype(np.float64) for c in KEY)
    tx, T = tx / unit, T / unit
    cols: dict[str, np.ndarray] = {"p_alive": bg.p_alive(x, tx, T)}
    horizons = [days / unit for days in HORIZONS_DAYS]
    found = bg.expected_purchases_over([*horizons, *(MONTH_DAYS * m / unit for m in range(1, 13))], x, tx, T)
    for days, expected in zip(HORIZONS_DAYS, found[: len(HORIZONS_DAYS)], strict=True):
        cols[f"expected_purchases_{days}d"] = expected
    # discounted purchases over 12 months: each month's increment, discounted to today
    cumulative = [np.zeros_like(x), *found[len(HORIZONS_DAYS) :]]
    cols["discounted_purchases_12m"] = sum(
        (cumulative[m] - cumulative[m - 1]) / (1 + monthly_rate) ** m for m in range(1, 13)
    )
    return combos.with_columns(**{k: pl.Series(v) for k, v in cols.items()})


def score_customers(
    summary: pl.DataFrame, bg: BgNbd, gg: GammaGamma, time_unit: str, annual_discount_rate: float
) -> pl.DataFrame:
    """One row per summary row: p_alive, expected purchases, value per purchase, 12-month CLV.

    Customers without a repeat purchase get the models' values for x = 0 (the population
    mean spend, the purchase rate of a fresh customer), never nulls. A negative mean repeat
    value (refunds above sales) counts as zero spend."""
    unit = DAYS_PER_UNIT[time_unit]
    monthly = (1 + annual_discount_rate) ** (1 / 12) - 1
    scored = summary.join(_per_combination(summary, bg, unit, monthly), on=list(KEY), how="left")
    x = scored["frequency"].to_numpy().astype(np.float64)
    m = np.maximum(scored["avg_repeat_value"].fill_null(0.0).to_numpy(), 0.0)
    value = gg.expected_value(x, m)
    return scored.with_columns(
        expected_value_per_purchase=pl.Series(value),
        clv_12m=pl.col("discounted_purchases_12m") * pl.Series(value),
    ).drop("discounted_purchases_12m")
