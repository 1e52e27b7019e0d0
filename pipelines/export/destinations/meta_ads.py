"""Meta Custom Audience customer file: every column normalised as Meta documents, SHA-256."""

from __future__ import annotations

import polars as pl

from pipelines.export.identifiers import country_meta, email_basic, name_meta, phone_meta, sha256_columns

HASHED = ("email", "phone", "fn", "ln", "country")


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    normalised = members.select(
        pl.col("customer_id"),
        email_basic("email").alias("email"),
        phone_meta("phone_e164").alias("phone"),
        name_meta("first_name").alias("fn"),
        name_meta("last_name").alias("ln"),
        country_meta("country").alias("country"),
    )
    return sha256_columns(normalised, HASHED)
