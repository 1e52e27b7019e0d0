"""Logged-in web sessions: a few visits before each order, plus browsing while still engaged."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.behaviour import Purchases
from pipelines.generate.customers import Base, customer_ids
from pipelines.generate.timeline import DAY, Timeline


def web_sessions(rng: np.random.Generator, base: Base, buys: Purchases, tl: Timeline) -> pl.DataFrame:
    n_orders = len(buys.at)
    # Research visits in the days before an order, then the checkout visit itself.
    research = rng.poisson(1.0, n_orders)
    r_order = np.repeat(np.arange(n_orders), research)
    r_at = buys.at[r_order] - rng.integers(3600, 4 * DAY, len(r_order))
    c_at = buys.at - rng.integers(120, 2400, n_orders)
    # Browsing without buying, more for frequent buyers, fading after they drop out.
    engaged_until = np.where(buys.dropout_at >= 0, buys.dropout_at + 45 * DAY, tl.end)
    span = np.clip(np.minimum(engaged_until, tl.end) - base.signup, 0, None)
    browse = rng.poisson(span / DAY * (0.002 + 0.6 * base.lam))
    b_cust = np.repeat(np.arange(len(base.signup)), browse)
    b_at = base.signup[b_cust] + (rng.random(len(b_cust)) * span[b_cust]).astype(np.int64)
    customer = np.concatenate([buys.customer[r_order], buys.customer, b_cust])
    started = np.maximum(np.concatenate([r_at, c_at, b_at]), base.signup[customer])
    checkout = np.concatenate(
        [np.zeros(len(r_order), bool), np.ones(n_orders, bool), np.zeros(len(b_cust), bool)]
    )
    pages = np.where(checkout, 4 + rng.poisson(6, len(customer)), 1 + rng.geometric(0.3, len(customer)))
    seconds = pages * rng.lognormal(np.log(35), 0.6, len(customer))
    frame = pl.DataFrame(
        {
            "customer_id": customer_ids(customer),
            "started_at": started,
            "page_views": pages.astype(np.int64),
            "duration_seconds": np.round(seconds).astype(np.int64),
        }
    ).sort("started_at", "customer_id", maintain_order=True)
    session_id = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(10).str.pad_start(11, "S")
    return frame.select(session_id.alias("session_id"), pl.all())
