"""Orders and their lines: basket composition, discounts, shipping and fulfilment.

All money is integer cents until it is written, so an order's amount equals the
sum of its lines to the cent by construction.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.generate.behaviour import Purchases
from pipelines.generate.customers import Base, customer_ids
from pipelines.generate.products import Catalogue
from pipelines.generate.timeline import DAY, Timeline, masked

_QTY = np.array([0.82, 0.13, 0.04, 0.01])
_PERCENT = np.array([10, 15, 20, 25])


@dataclass(frozen=True)
class Baskets:
    customer: np.ndarray  # per order
    ordered_at: np.ndarray
    shipped_at: np.ndarray
    delivered_at: np.ndarray  # when the parcel arrives (may be after the window)
    cancelled_at: np.ndarray  # -1 unless cancelled
    order_of_line: np.ndarray  # per line
    product: np.ndarray  # catalogue position per line
    quantity: np.ndarray
    unit_price: np.ndarray
    line_discount: np.ndarray

    @property
    def line_value(self) -> np.ndarray:
        return self.quantity * self.unit_price - self.line_discount

    @property
    def starts(self) -> np.ndarray:
        return np.flatnonzero(np.diff(self.order_of_line, prepend=-1))

    def order_ids(self) -> pl.Series:
        n = len(self.customer)
        return pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(9).str.pad_start(10, "O")


def _distinct(of: np.ndarray, rank: np.ndarray, size: int) -> np.ndarray:
    """Nudge price ranks so no product appears on two lines of one order (exports merge those).

    Within an order (sorted by rank) r_k -> k + running max of (r_k - k) makes the ranks
    strictly increasing; an offset per order keeps the running max from leaking across.
    """
    order = np.lexsort((rank, of))
    o, r = of[order], rank[order]
    first = np.flatnonzero(np.diff(o, prepend=-1))
    k = np.arange(len(o)) - np.repeat(first, np.diff(first, append=len(o)))
    offset = o * (size + 16)
    r = np.maximum.accumulate(r - k + offset) - offset + k
    # ranks pushed past the top come back down from it: the k-th of n lines may rank at most
    # size - n + k, and the minimum of two strictly increasing sequences still is one
    lines = np.repeat(np.diff(first, append=len(o)), np.diff(first, append=len(o)))
    out = np.empty_like(rank)
    out[order] = np.minimum(r, size - lines + k)
    return out


def baskets(rng: np.random.Generator, base: Base, buys: Purchases, cat: Catalogue, tl: Timeline) -> Baskets:
    n = len(buys.at)
    value = base.order_value[buys.customer] * rng.lognormal(0.0, 0.35, n)
    lines = 1 + np.minimum(rng.poisson(np.clip(value / 6000, 0.15, 2.5)), 7)
    of = np.repeat(np.arange(n), lines)
    qty = 1 + rng.choice(len(_QTY), size=len(of), p=_QTY)
    target = value[of] / lines[of] / qty * rng.lognormal(0.0, 0.3, len(of))
    rank = np.searchsorted(cat.price[cat.by_price], target) + rng.integers(-4, 5, len(of))
    product = cat.by_price[_distinct(of, np.clip(rank, 0, len(cat.price) - 1), len(cat.price))]
    price = cat.price[product]
    markdown = rng.random(len(of)) < 0.08
    price = np.where(markdown, np.round(price * rng.uniform(0.6, 0.9, len(of))), price)
    # Promo codes: one order in five, most orders in the Black Friday week.
    day = np.clip((buys.at - tl.start) // DAY, 0, len(tl.weights) - 1)
    promo = rng.random(n) < np.where(tl.weights[day] > 2.0, 0.6, 0.2)
    pct = np.where(promo, rng.choice(_PERCENT, size=n, p=[0.35, 0.3, 0.25, 0.1]), 0)
    gross = qty * price.astype(np.int64)
    discount = (gross * pct[of] + 50) // 100
    cancelled = rng.random(n) < 0.03
    cancelled_at = np.where(cancelled, buys.at + rng.integers(600, 6 * 3600, n), -1)
    shipped_at = buys.at + rng.integers(6 * 3600, 48 * 3600, n)
    transit = rng.lognormal(np.log(2.5 * DAY), 0.5, n).astype(np.int64)
    return Baskets(
        buys.customer, buys.at, shipped_at, shipped_at + transit, cancelled_at,
        of, product, qty.astype(np.int64), price.astype(np.int64), discount,
    )  # fmt: skip


def order_rows(rng: np.random.Generator, b: Baskets, returned_at: np.ndarray, tl: Timeline) -> pl.DataFrame:
    """returned_at: per order, the last refund inside the window (-1 if none)."""
    amount = np.add.reduceat(b.line_value, b.starts)
    items = np.add.reduceat(b.quantity, b.starts)
    cancelled = (b.cancelled_at >= 0) & (b.cancelled_at < tl.end)
    delivered = ~cancelled & (b.delivered_at < tl.end)
    shipped = ~cancelled & (b.shipped_at < tl.end)
    returned = delivered & (returned_at >= 0)
    status = np.select(
        [cancelled, returned, delivered, shipped],
        ["cancelled", "returned", "delivered", "shipped"],
        "placed",
    )
    updated = np.select(
        [cancelled, returned, delivered, shipped],
        [b.cancelled_at, returned_at, b.delivered_at, b.shipped_at],
        b.ordered_at,
    )
    cost = (380 + 90 * (items - 1)) * rng.uniform(0.85, 1.3, len(items))
    return pl.DataFrame(
        {
            "order_id": b.order_ids(),
            "customer_id": customer_ids(b.customer),
            "ordered_at": b.ordered_at,
            "amount": amount,
            "status": status,
            "discount_amount": np.add.reduceat(b.line_discount, b.starts),
            "shipping_charged": np.where(amount >= 5000, 0, 499),
            "shipping_cost": np.round(cost).astype(np.int64),
            "currency": pl.Series(["EUR"]).gather(np.zeros(len(items), dtype=np.int64)),
            "delivered_at": masked(b.delivered_at, delivered),
            "updated_at": updated,
        }
    )


def line_rows(b: Baskets, cat: Catalogue) -> pl.DataFrame:
    n = len(b.order_of_line)
    line_no = np.arange(n) - np.repeat(b.starts, np.diff(b.starts, append=n)) + 1
    order_id = b.order_ids().gather(b.order_of_line)
    return pl.DataFrame(
        {
            "order_line_id": order_id + "-" + pl.Series(line_no).cast(pl.String),
            "order_id": order_id,
            "product_id": cat.frame["product_id"].gather(b.product),
            "quantity": b.quantity,
            "unit_price": b.unit_price,
            "line_discount": b.line_discount,
        }
    )
