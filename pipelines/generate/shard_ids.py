"""Ids of a shard's rows moved past the earlier shards' ids, so every key stays unique in the shop.

A shard numbers its customers, orders, returns... from 1, like a whole shop; its rows are
written with each number raised by how many of that kind the earlier shards made. An id is
its prefix, the zero-padded number and, for an order line, the line's own suffix ('-2').
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

# kind: (prefix, digits, the entity whose rows the kind numbers; None for customers)
KINDS: dict[str, tuple[str, int, str | None]] = {
    "customer": ("C", 8, None),
    "order": ("O", 9, "orders"),
    "return": ("R", 8, "returns"),
    "event": ("E", 10, "email_events"),
    "ticket": ("T", 8, "support_tickets"),
    "session": ("S", 10, "web_sessions"),
    "response": ("N", 8, "nps_responses"),
    "referral": ("RF", 8, "referrals"),
}
# entity: {column: kind}; every id column the generator writes
COLUMNS: dict[str, dict[str, str]] = {
    "customers": {"customer_id": "customer"},
    "orders": {"order_id": "order", "customer_id": "customer"},
    "order_lines": {"order_line_id": "order", "order_id": "order"},
    "returns": {"return_id": "return", "order_id": "order", "order_line_id": "order"},
    "email_events": {"event_id": "event", "customer_id": "customer"},
    "support_tickets": {"ticket_id": "ticket", "customer_id": "customer", "order_id": "order"},
    "web_sessions": {"session_id": "session", "customer_id": "customer"},
    "nps_responses": {"response_id": "response", "customer_id": "customer"},
    "referrals": {
        "referral_id": "referral",
        "referrer_customer_id": "customer",
        "referred_customer_id": "customer",
    },
    "suppressions": {"customer_id": "customer"},
    "erasures": {"customer_id": "customer"},
    "_truth": {"customer_id": "customer", "person_id": "customer"},
}


def _shifted(column: str, kind: str, by: int) -> pl.Expr:
    prefix, digits, _ = KINDS[kind]
    col = pl.col(column)
    number = col.str.slice(len(prefix), digits).cast(pl.Int64) + by
    rest = col.str.slice(len(prefix) + digits)
    return pl.concat_str(pl.lit(prefix), number.cast(pl.String).str.zfill(digits), rest).alias(column)


def shift_ids(entity: str, frame: pl.DataFrame | pl.LazyFrame, offsets: Mapping[str, int]) -> pl.LazyFrame:
    """`frame` (an entity's rows, or '_truth' for customer_params) with its ids raised by `offsets`
    (per kind: how many the earlier shards numbered)."""
    columns = COLUMNS.get(entity, {})
    moved = [_shifted(c, kind, offsets[kind]) for c, kind in columns.items() if offsets[kind]]
    return frame.lazy().with_columns(moved) if moved else frame.lazy()
