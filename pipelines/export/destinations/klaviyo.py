"""Klaviyo list import: `Email` first, and the consent column Klaviyo reads on import.

Only consenting customers reach any export, so the consent value is always SUBSCRIBED;
writing it lets Klaviyo record the consent instead of importing people as never-subscribed.
"""

from __future__ import annotations

import polars as pl

from pipelines.export.destinations._mapping import mapped


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    fixed = {
        "Email": pl.col("email"),
        "First Name": pl.col("first_name"),
        "Last Name": pl.col("last_name"),
        "Phone Number": pl.col("phone_e164"),
        "Email Marketing Consent": pl.lit("SUBSCRIBED"),
        "rapport_segment": pl.lit(segment),
    }
    return mapped(members, fixed, fields)
