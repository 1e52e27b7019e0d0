"""Field mapping shared by the CRM layouts: output column <- segment column, as text."""

from __future__ import annotations

import polars as pl


def mapped(members: pl.DataFrame, fixed: dict[str, pl.Expr], fields: dict[str, str] | None) -> pl.DataFrame:
    """customer_id, the layout's fixed columns in order, then the configured extra fields."""
    extra = {name: pl.col(source) for name, source in (fields or {}).items() if name not in fixed}
    columns = {**fixed, **extra}
    return members.select(
        pl.col("customer_id"), *(expr.cast(pl.String).alias(name) for name, expr in columns.items())
    )
