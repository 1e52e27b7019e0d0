"""Monthly marketing spend per channel, tied to the sign-ups each channel brought."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.customers import CHANNELS
from pipelines.generate.timeline import Timeline

# channel: (fixed cents per month, cents per acquired customer)
_COST = {
    "organic": (250_000, 0),  # SEO and content agency
    "paid_search": (0, 3_500),
    "social": (40_000, 2_800),
    "email": (60_000, 300),  # email platform subscription
    "referral": (0, 1_000),  # the referral bonus
    "affiliate": (0, 2_000),
}


def marketing_spend(
    rng: np.random.Generator, signup: np.ndarray, channel: np.ndarray, tl: Timeline
) -> pl.DataFrame:
    """signup, channel: every account's sign-up time and acquisition channel (CHANNELS index)."""
    first = np.datetime64(tl.start, "s").astype("M8[M]")
    last = np.datetime64(tl.end - 1, "s").astype("M8[M]")
    months = np.arange(first, last + 1)
    month_of = signup.astype("M8[s]").astype("M8[M]") - first
    acquired = np.zeros((len(months), len(CHANNELS)))
    np.add.at(acquired, (month_of.astype(np.int64), channel), 1)
    # Scale fixed costs to the shop's size so small demo shops are not all overhead.
    scale = min(1.0, len(signup) / 200_000)
    fixed = np.array([_COST[c][0] for c in CHANNELS]) * scale
    per_customer = np.array([_COST[c][1] for c in CHANNELS])
    spend = (fixed + acquired * per_customer) * rng.lognormal(0.0, 0.12, acquired.shape)
    return pl.DataFrame(
        {
            "month": np.repeat(months.astype("M8[D]"), len(CHANNELS)),
            "channel": np.tile(np.array(CHANNELS), len(months)),
            "spend": np.round(spend).astype(np.int64).ravel(),
        }
    ).with_columns(pl.col("month").cast(pl.Date))
