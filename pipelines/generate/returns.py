"""Returns and refunds: fashion comes back, groceries don't, and some customers return a lot."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.generate.orders import Baskets
from pipelines.generate.products import Catalogue
from pipelines.generate.timeline import DAY, Timeline

REASONS = np.array(["wrong_size", "damaged", "not_as_described", "changed_mind", "late_delivery"])
_FIT = np.array([0.55, 0.08, 0.15, 0.17, 0.05])  # clothes and shoes: mostly sizing
_OTHER = np.array([0.0, 0.3, 0.3, 0.3, 0.1])


@dataclass(frozen=True)
class Refunds:
    frame: pl.DataFrame  # the returns entity (refund_amount in cents)
    order: np.ndarray  # order position of each return
    at: np.ndarray  # returned_at of each return
    last_per_order: np.ndarray  # per order, latest returned_at or -1
    propensity: np.ndarray  # per customer, multiplier on the catalogue return rate


def refunds(rng: np.random.Generator, b: Baskets, cat: Catalogue, n_customers: int, tl: Timeline) -> Refunds:
    propensity = rng.gamma(1.5, 1 / 1.5, n_customers)
    of = b.order_of_line
    arrived = (b.cancelled_at[of] < 0) & (b.delivered_at[of] < tl.end)
    chance = cat.return_rate[b.product] * propensity[b.customer[of]] * 1.1
    at = b.delivered_at[of] + rng.lognormal(np.log(6 * DAY), 0.6, len(of)).astype(np.int64)
    line = np.flatnonzero(arrived & (rng.random(len(of)) < chance) & (at < tl.end))
    line = line[np.argsort(at[line], kind="stable")]
    qty = b.quantity[line]
    back = np.where(qty == 1, 1, rng.integers(1, qty + 1))
    refund = b.line_value[line] * back // qty
    fit = np.isin(cat.frame["category"].to_numpy()[b.product[line]], ["Apparel", "Footwear"])
    reason = np.where(
        fit,
        rng.choice(len(REASONS), size=len(line), p=_FIT),
        rng.choice(len(REASONS), size=len(line), p=_OTHER),
    )
    restocking = (REASONS[reason] == "changed_mind") & (rng.random(len(line)) < 0.3)
    refund = np.where(restocking, refund * 9 // 10, refund)
    order = of[line]
    last = np.full(len(b.customer), -1, dtype=np.int64)
    np.maximum.at(last, order, at[line])
    ids = b.order_ids()
    line_ids = ids.gather(order) + "-" + pl.Series(line - b.starts[order] + 1).cast(pl.String)
    frame = pl.DataFrame(
        {
            "return_id": pl.Series(np.arange(1, len(line) + 1)).cast(pl.String).str.zfill(8),
            "order_id": ids.gather(order),
            "order_line_id": line_ids,
            "returned_at": at[line],
            "quantity": back,
            "refund_amount": refund,
            "reason": REASONS[reason],
        }
    ).with_columns(pl.col("return_id").str.pad_start(9, "R"))
    return Refunds(frame, order, at[line], last, propensity)
