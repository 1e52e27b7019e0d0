"""Serialise rendered rows to bytes, deterministically (same rows, same bytes).

CSV cells are neutralised against formula injection (OWASP "CSV Injection"): a cell
beginning with `=`, `+`, `-`, `@`, tab or carriage return gets a leading `'`, so a
spreadsheet or CRM shows it as text instead of evaluating it. Plain numbers (`-12.50`)
and E.164 phones (`+919876543210`) are left as they are: a spreadsheet can only read them
as the number they are, and a CRM must import the phone unchanged.
"""

from __future__ import annotations

import io

import polars as pl

FORMULA_START = r"^[=+\-@\t\r]"
HARMLESS = r"^(\+[1-9][0-9]{7,14}|[+-]?[0-9]+(\.[0-9]+)?)$"


def neutralise(column: str) -> pl.Expr:
    cell = pl.col(column)
    risky = cell.str.contains(FORMULA_START) & ~cell.str.contains(HARMLESS)
    return pl.when(risky).then(pl.lit("'") + cell).otherwise(cell).alias(column)


def csv_bytes(rows: pl.DataFrame) -> bytes:
    """UTF-8 without BOM, RFC 4180 (CRLF, quotes only where needed); key column dropped."""
    body = rows.drop("customer_id")
    body = body.with_columns(neutralise(c) for c, t in body.schema.items() if t == pl.String)
    return body.write_csv(line_terminator="\r\n", quote_style="necessary").encode("utf-8")


def parquet_bytes(rows: pl.DataFrame) -> bytes:
    """No statistics with timestamps or writer-specific extras vary between runs."""
    buffer = io.BytesIO()
    rows.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def file_bytes(kind: str, rows: pl.DataFrame) -> bytes:
    return parquet_bytes(rows) if kind == "parquet" else csv_bytes(rows)
