"""Data-lake Parquet: the segment's columns as text (stable types for any reader).

Unlike the CRM files it keeps customer_id, so lake consumers can join back.
"""

from __future__ import annotations

import polars as pl

from pipelines.export.destinations._mapping import mapped

COLUMNS = (
    "email", "first_name", "last_name", "segment", "rfm_code", "net_revenue", "last_order_at",
    "phone_e164", "country",
)  # fmt: skip


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    fixed = {c: pl.col(c) for c in COLUMNS} | {"export_segment": pl.lit(segment)}
    return mapped(members, fixed, fields)
