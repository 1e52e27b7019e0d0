"""Google Ads Customer Match upload file: identifiers normalised as Google documents, SHA-256.

Country is sent in clear, as Google asks (it is not an identifier on its own).
"""

from __future__ import annotations

import polars as pl

from pipelines.export.identifiers import email_google, name_google, sha256_hex


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    return members.select(
        pl.col("customer_id"),
        sha256_hex(email_google("email")).alias("Email"),
        sha256_hex(pl.col("phone_e164")).alias("Phone"),  # E.164 with '+', as Google wants
        sha256_hex(name_google("first_name")).alias("First Name"),
        sha256_hex(name_google("last_name")).alias("Last Name"),
        pl.col("country").str.strip_chars().str.to_uppercase().alias("Country"),
    )
