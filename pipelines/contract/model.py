"""The contract's building blocks: a column, an entity (one landing file type), money."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type the loader casts to
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False
    doc: str = ""
    # do-not-contact entities: at least one of these columns in the header and in every row;
    # an unreadable file or row blocks the export (pipelines/export/blocked.py), never the load
    identifiers: tuple[str, ...] = ()

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def type_of(self, column: str) -> str:
        return next(c.type for c in self.columns if c.name == column)


MONEY = "decimal(18,2)"
# Largest plausible amount of one order, line or refund: above it a value is far more likely a
# unit or parsing error (paise loaded as rupees) than a sale. Loader rules and GX suites share it.
# 1 crore (10,000,000): an Indian shop's ₹1-5 lakh orders (electronics, jewellery) are ordinary sales.
MAX_AMOUNT = 10_000_000
