"""Meta Custom Audience customer file: every column normalised as Meta documents, SHA-256."""

from __future__ import annotations

import polars as pl

from pipelines.export.identifiers import country_meta, email_basic, name_meta, phone_meta, sha256_hex


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    return members.select(
        pl.col("customer_id"),
        sha256_hex(email_basic("email")).alias("email"),
        sha256_hex(phone_meta("phone_e164")).alias("phone"),
        sha256_hex(name_meta("first_name")).alias("fn"),
        sha256_hex(name_meta("last_name")).alias("ln"),
        sha256_hex(country_meta("country")).alias("country"),
    )
