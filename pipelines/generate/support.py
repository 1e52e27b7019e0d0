"""Support tickets and NPS answers; both react to what happened to the customer's orders."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.customers import Base, customer_ids
from pipelines.generate.orders import Baskets
from pipelines.generate.returns import Refunds
from pipelines.generate.timeline import DAY, Timeline

# reason: median handling minutes
_MINUTES = {"return": 14, "where_is_my_order": 6, "payment": 12, "product_question": 8}
_MINUTES |= {"change_address": 5, "account": 10}


def tickets(
    rng: np.random.Generator, base: Base, b: Baskets, r: Refunds, tl: Timeline
) -> tuple[pl.DataFrame, np.ndarray]:
    """The tickets entity, and per order whether a ticket was opened about it."""
    n_orders = len(b.customer)
    live = b.cancelled_at < 0
    late = live & (b.delivered_at - b.shipped_at > 5 * DAY) & (rng.random(n_orders) < 0.25)
    asks = live & ~late & (rng.random(n_orders) < 0.03)
    on_return = rng.random(len(r.order)) < 0.35
    account = np.flatnonzero(rng.random(len(base.signup)) < 0.015)
    topics = np.array(["payment", "product_question", "change_address", "where_is_my_order"])
    late_o, ask_o, ret_o = np.flatnonzero(late), np.flatnonzero(asks), r.order[on_return]
    order = np.concatenate([late_o, ask_o, ret_o])
    opened = np.concatenate(
        [
            b.shipped_at[late_o] + 5 * DAY + rng.integers(0, 2 * DAY, len(late_o)),
            b.ordered_at[ask_o] + rng.integers(3600, 6 * DAY, len(ask_o)),
            np.maximum(r.at[on_return] - rng.integers(0, 2 * DAY, len(ret_o)), b.delivered_at[ret_o]),
        ]
    )
    opened = np.maximum(opened, b.ordered_at[order] + 600)
    reason = np.concatenate(
        [
            np.full(len(late_o), "where_is_my_order"),
            topics[rng.integers(0, len(topics) - 1, len(ask_o))],
            np.full(len(ret_o), "return"),
        ]
    )
    ticketed = np.zeros(n_orders, dtype=bool)
    ticketed[order[opened < tl.end]] = True
    span = (tl.end - base.signup[account]) * rng.random(len(account))
    frame = pl.DataFrame(
        {
            "customer_id": customer_ids(np.concatenate([b.customer[order], account])),
            "opened_at": np.concatenate([opened, base.signup[account] + span.astype(np.int64)]),
            "reason": np.concatenate([reason, np.full(len(account), "account")]),
            "order_id": pl.concat(
                [b.order_ids().gather(order), pl.Series([None] * len(account), dtype=pl.String)]
            ),
        }
    ).filter(pl.col("opened_at") < tl.end)
    median = pl.col("reason").replace_strict(_MINUTES, return_dtype=pl.Float64)
    noise = pl.Series(rng.lognormal(0.0, 0.7, frame.height))
    frame = frame.with_columns(handling_minutes=(median * noise).ceil().cast(pl.Int64))
    frame = frame.sort("opened_at", "customer_id", maintain_order=True)
    ticket_id = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8).str.pad_start(9, "T")
    cols = ("customer_id", "opened_at", "handling_minutes", "reason", "order_id")
    return frame.select(ticket_id.alias("ticket_id"), *cols), ticketed


def nps(rng: np.random.Generator, b: Baskets, r: Refunds, ticketed: np.ndarray, tl: Timeline) -> pl.DataFrame:
    """Surveys after delivery; returns and tickets on the order pull the score down."""
    n_orders = len(b.customer)
    mood = rng.normal(8.8, 1.2, int(b.customer.max(initial=0)) + 1)
    at = b.delivered_at + rng.integers(DAY, 10 * DAY, n_orders)
    asked = (b.cancelled_at < 0) & (rng.random(n_orders) < 0.12) & (at < tl.end)
    o = np.flatnonzero(asked)
    score = mood[b.customer[o]] + rng.normal(0, 1.2, len(o))
    score -= 2.5 * (r.last_per_order[o] >= 0) + 1.8 * ticketed[o]
    frame = pl.DataFrame(
        {
            "customer_id": customer_ids(b.customer[o]),
            "responded_at": at[o],
            "score": np.clip(np.round(score), 0, 10).astype(np.int64),
        }
    ).sort("responded_at", "customer_id", maintain_order=True)
    response_id = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(8).str.pad_start(9, "N")
    return frame.select(response_id.alias("response_id"), pl.all())
