"""The CDNOW fixture summarised the papers' way, computed here independently of dbt."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl

ORDERS = Path(__file__).resolve().parent.parent / "fixtures" / "cdnow" / "orders.csv"
# Fader, Hardie & Lee (2005) table / Fader & Hardie (2013) Gamma-Gamma note
BG_NBD = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
BG_NBD_LL = -9582.4
GAMMA_GAMMA = {"p": 6.25, "q": 3.74, "gamma": 15.44}


def cdnow_summary(as_of: date = date(1997, 10, 1)) -> pl.DataFrame:
    """x, t_x, T in weeks and the mean repeat value, one purchase per customer-day."""
    days = (
        pl.read_csv(ORDERS, schema_overrides={"customer_id": pl.String})
        .with_columns(day=pl.col("ordered_at").str.slice(0, 10).str.to_date())
        .filter(pl.col("day") < as_of)
        .group_by("customer_id", "day")
        .agg(value=pl.col("amount").sum())
        .sort("customer_id", "day")
    )
    last = pl.lit(as_of) - pl.duration(days=1)
    return (
        days.group_by("customer_id")
        .agg(
            x=pl.len() - 1,
            tx=(pl.col("day").max() - pl.col("day").min()).dt.total_days() / 7,
            T=(last - pl.col("day").min()).dt.total_days() / 7,
            m=pl.col("value").slice(1).mean(),
        )
        .sort("customer_id")
    )
