"""HubSpot contact import: `Email` is the column HubSpot deduplicates contacts on."""

from __future__ import annotations

import polars as pl

from pipelines.export.destinations._mapping import mapped


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    fixed = {
        "Email": pl.col("email"),
        "First Name": pl.col("first_name"),
        "Last Name": pl.col("last_name"),
        "Phone Number": pl.col("phone_e164"),
        "rapport_segment": pl.lit(segment),
    }
    return mapped(members, fixed, fields)
