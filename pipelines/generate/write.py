"""Formatting to the landing contract and writing the daily partitions.

CSV rows are formatted by hand (not by a CSV writer) so that defects can be
injected into the exact text that lands on disk and traced to physical lines.
"""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pipelines.contract import MONEY, Entity
from pipelines.generate.dirty import ENCODING_END, ENCODING_START

TIMESTAMP = "%Y-%m-%d %H:%M:%S"
_NEEDS_QUOTES = r'[,"\r\n]|^\s|\s$'
_MARKED = re.compile(re.escape(ENCODING_START.encode()) + b"(.*?)" + re.escape(ENCODING_END.encode()))


def _money_text(cents: pl.Expr) -> pl.Expr:
    units = cents.abs() // 100
    frac = (cents.abs() % 100).cast(pl.String).str.zfill(2)
    sign = pl.when(cents < 0).then(pl.lit("-")).otherwise(pl.lit(""))
    return pl.concat_str(sign, units.cast(pl.String), pl.lit("."), frac)


def _text(column: str, sql_type: str) -> pl.Expr:
    col = pl.col(column)
    if sql_type == "timestamp":
        out = pl.from_epoch(col, "s").dt.strftime(TIMESTAMP)
    elif sql_type == "date":
        out = col.dt.strftime("%Y-%m-%d")
    elif sql_type == MONEY:
        out = _money_text(col)
    elif sql_type == "boolean":
        out = pl.when(col).then(pl.lit("true")).when(col.not_()).then(pl.lit("false"))
    elif sql_type == "integer":
        out = col.cast(pl.String)
    else:
        quoted = pl.concat_str(pl.lit('"'), col.str.replace_all('"', '""'), pl.lit('"'))
        out = pl.when(col.str.contains(_NEEDS_QUOTES)).then(quoted).otherwise(col)
    return out.fill_null("").alias(column)


def to_text(frame: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """Every contract column as the text a CSV export holds ('' for null), plus `_day`."""
    return frame.select(*[_text(c.name, c.type) for c in entity.columns], "_day")


def to_typed(frame: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """Every contract column in the Arrow type that maps to the contract's DuckDB type."""
    exprs = []
    for c in entity.columns:
        col = pl.col(c.name)
        if c.type == "timestamp":
            col = pl.from_epoch(col, "s").cast(pl.Datetime("us"))
        elif c.type == MONEY:
            col = (col.cast(pl.Decimal(18, 2)) / 100).cast(pl.Decimal(18, 2))
        elif c.type == "integer":
            col = col.cast(pl.Int32)
        exprs.append(col.alias(c.name))
    return frame.select(*exprs, "_day")


def to_lines(text: pl.DataFrame, entity: Entity) -> pl.DataFrame:
    """One CSV line per row; malformed rows lose their last field or repeat it (a shifted export)."""
    line = pl.concat_str([pl.col(c) for c in entity.column_names], separator=",")
    if "_kind" in text.columns:
        malformed = pl.col("_kind") == "malformed_row"
        line = (
            pl.when(malformed & (pl.col("_variant") == 0))
            .then(line.str.replace(r",[^,]*$", ""))
            .when(malformed & (pl.col("_variant") == 1))
            .then(pl.concat_str(line, pl.lit(","), line.str.extract(r"([^,]*)$")))
            .otherwise(line)
        )
    extra = [c for c in ("_kind", "_col") if c in text.columns]
    source_line = (pl.int_range(pl.len()).over("_day") + 2).alias("_line")
    return text.select(line.alias("line"), "_day", source_line, *extra)


def _path(out: Path, name: str, day: object, suffix: str) -> Path:
    folder = out / name if day is None else out / name / f"date={day}"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}{suffix}"


def write_csv(out: Path, entity: Entity, lines: pl.DataFrame, part: str = "") -> list[Path]:
    """One file per day, `<entity><part>.csv` (a shard of a larger shop writes its own part)."""
    header = ",".join(entity.column_names) + "\n"
    files = lines.group_by("_day", maintain_order=True).agg(pl.col("line").str.join("\n"))
    paths = []
    for day, body in files.iter_rows():
        path = _path(out, entity.name, day, f"{part}.csv")
        path.write_bytes(f"{header}{body}\n".encode())
        paths.append(path)
    return paths


def write_parquet(out: Path, entity: Entity, typed: pl.DataFrame, part: str = "") -> list[Path]:
    paths = []
    for (day,), rows in typed.partition_by("_day", as_dict=True, maintain_order=True).items():
        path = _path(out, entity.name, day, f"{part}.parquet")
        rows.drop("_day").write_parquet(path, compression="zstd", statistics=True)
        paths.append(path)
    return paths


def _garble(match: re.Match[bytes]) -> bytes:
    """How names break in transit: Latin-1 bytes, a cut multi-byte character, a stray NBSP."""
    name = match.group(1).decode()
    if name.isascii():
        return name.replace("'", "\u2019").encode("cp1252") + b"\xa0"
    try:
        return name.encode("latin-1")
    except UnicodeEncodeError:
        return name.encode()[:-1]


def garble_marked(path: Path) -> None:
    path.write_bytes(_MARKED.sub(_garble, path.read_bytes()))
