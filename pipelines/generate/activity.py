"""write_activity: what a shop's accounts do, written entity by entity (all but the shop-level files)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.generate.behaviour import Purchases, purchases
from pipelines.generate.customers import Base, customer_rows
from pipelines.generate.emails import email_events
from pipelines.generate.orders import Baskets, baskets, line_rows, order_rows
from pipelines.generate.privacy import privacy_lists
from pipelines.generate.products import Catalogue
from pipelines.generate.referrals import referrals
from pipelines.generate.returns import Refunds, refunds
from pipelines.generate.sessions import web_sessions
from pipelines.generate.support import nps, tickets
from pipelines.generate.timeline import Timeline

Streams = Callable[[int], np.random.Generator]  # a random stream by its number
Write = Callable[[str, pl.DataFrame, str | None], None]  # entity, rows, the column dating a row


@dataclass(frozen=True)
class Activity:
    """What the ground truth is computed from."""

    buys: Purchases
    baskets: Baskets
    refunds: Refunds
    orders: pl.DataFrame


def write_activity(
    rng: Streams, base: Base, cat: Catalogue, campaigns: tuple[np.ndarray, list[str]],
    tl: Timeline, write: Write,
) -> Activity:  # fmt: skip
    """Orders, returns, emails, tickets, sessions, NPS, referrals and the privacy lists of `base`."""
    camp_t, camp_ids = campaigns
    n = len(base.signup)
    buys = purchases(rng(2), base, tl)
    b = baskets(rng(4), base, buys, cat, tl)
    r = refunds(rng(5), b, cat, n, tl)
    write("customers", customer_rows(base), "updated_at")
    orders = order_rows(rng(6), b, r.last_per_order, tl)
    write("orders", orders, "ordered_at")
    write("order_lines", line_rows(b, cat).with_columns(_at=b.ordered_at[b.order_of_line]), "_at")
    write("returns", r.frame, "returned_at")
    write("email_events", email_events(rng(7), base, camp_t, camp_ids, tl), "occurred_at")
    ticket_frame, ticketed = tickets(rng(8), base, b, r, tl)
    write("support_tickets", ticket_frame, "opened_at")
    write("web_sessions", web_sessions(rng(9), base, buys, tl), "started_at")
    write("nps_responses", nps(rng(10), b, r, ticketed, tl), "responded_at")
    write("referrals", referrals(rng(11), base, tl), "referred_at")
    suppressions, erasures = privacy_lists(rng(13), base, tl)
    write("suppressions", suppressions, "_at")
    write("erasures", erasures, "_at")
    return Activity(buys, b, r, orders)
