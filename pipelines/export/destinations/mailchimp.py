"""Mailchimp audience import: `Email Address`, names, and `Tags` (the segment as a tag)."""

from __future__ import annotations

import polars as pl

from pipelines.export.destinations._mapping import mapped


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    fixed = {
        "Email Address": pl.col("email"),
        "First Name": pl.col("first_name"),
        "Last Name": pl.col("last_name"),
        "Tags": pl.lit(segment),
    }
    return mapped(members, fixed, fields)
