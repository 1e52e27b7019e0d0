"""Referrals: good customers invite friends; a converted invite is a 'referral' sign-up."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.customers import CHANNELS, Base, customer_ids
from pipelines.generate.timeline import DAY, Timeline


def _referrers(rng: np.random.Generator, base: Base, before: np.ndarray) -> np.ndarray:
    """For each limit, an earlier first account; of two candidates the keener buyer wins."""
    solo = np.flatnonzero(base.dup_of < 0)
    count = np.maximum(np.searchsorted(solo, before), 1)
    a = solo[(rng.random(len(before)) * count).astype(np.int64)]
    b = solo[(rng.random(len(before)) * count).astype(np.int64)]
    return np.where(base.lam[a] >= base.lam[b], a, b)


def referrals(rng: np.random.Generator, base: Base, tl: Timeline) -> pl.DataFrame:
    n = len(base.signup)
    referred = np.flatnonzero(base.channel == CHANNELS.index("referral"))
    by = _referrers(rng, base, referred)
    delay = rng.exponential(4 * DAY, len(referred)).astype(np.int64)
    sent = np.minimum(np.maximum(base.signup[by] + 60, base.signup[referred] - delay), base.signup[referred])
    # Most invitations go nowhere.
    lost = int(len(referred) * 1.5)
    lost_by = _referrers(rng, base, rng.integers(1, n + 1, lost))
    lost_at = base.signup[lost_by] + (rng.random(lost) * (tl.end - base.signup[lost_by])).astype(np.int64)
    frame = pl.DataFrame(
        {
            "referrer_customer_id": customer_ids(np.concatenate([by, lost_by])),
            "referred_customer_id": pl.concat(
                [customer_ids(referred), pl.Series([None] * lost, dtype=pl.String)]
            ),
            "referred_at": np.concatenate([sent, lost_at]),
            "converted": np.concatenate([np.ones(len(referred), bool), np.zeros(lost, bool)]),
        }
    ).sort("referred_at", "referrer_customer_id", maintain_order=True)
    referral_id = "RF" + pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8)
    return frame.select(referral_id.alias("referral_id"), pl.all())
