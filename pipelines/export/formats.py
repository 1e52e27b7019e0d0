"""Serialise rendered rows to bytes, deterministically (same rows, same bytes)."""

from __future__ import annotations

import io

import polars as pl


def csv_bytes(rows: pl.DataFrame) -> bytes:
    """UTF-8 without BOM, RFC 4180 (CRLF, quotes only where needed); key column dropped."""
    return rows.drop("customer_id").write_csv(line_terminator="\r\n", quote_style="necessary").encode("utf-8")


def parquet_bytes(rows: pl.DataFrame) -> bytes:
    """No statistics with timestamps or writer-specific extras vary between runs."""
    buffer = io.BytesIO()
    rows.write_parquet(buffer, compression="zstd", statistics=False)
    return buffer.getvalue()


def file_bytes(kind: str, rows: pl.DataFrame) -> bytes:
    return parquet_bytes(rows) if kind == "parquet" else csv_bytes(rows)
