"""Generic CRM/email CSV: the configured fields, by default email, names and segment."""

from __future__ import annotations

import polars as pl

from pipelines.export.destinations._mapping import mapped

DEFAULT_FIELDS = {c: c for c in ("email", "first_name", "last_name", "segment")}


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    chosen = fields or DEFAULT_FIELDS
    return mapped(members, {name: pl.col(source) for name, source in chosen.items()}, None)
