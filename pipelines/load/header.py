"""Batch-level checks on one landing file: readable, has a header, has the required columns."""

from __future__ import annotations

import csv
from dataclasses import dataclass

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.discover import LandingFile
from pipelines.load.errors import BatchRejected


@dataclass(frozen=True)
class Layout:
    """Where each contract column sits in one file."""

    file: LandingFile
    header: tuple[str, ...]  # the file's own column names, in file order
    positions: tuple[tuple[str, int], ...]  # (contract column, index in header); absent = NULL
    extra: tuple[str, ...]  # columns the contract does not know

    @property
    def group_key(self) -> tuple[str, str, tuple[str, ...]]:
        # files with the same header are read by one DuckDB scan
        return (self.file.entity, self.file.fmt, self.header)


def _csv_header(file: LandingFile) -> tuple[str, ...]:
    try:
        with open(file.path, "rb") as f:
            first = f.readline()
    except OSError as e:
        raise BatchRejected(file.source_file, f"unreadable file ({e})") from e
    try:
        text = first.decode("utf-8-sig").strip("\r\n")
    except UnicodeDecodeError as e:
        raise BatchRejected(file.source_file, "unreadable file (header is not UTF-8)") from e
    if not text.strip():
        raise BatchRejected(file.source_file, "empty file (no header)")
    try:
        return tuple(next(csv.reader([text])))
    except csv.Error as e:  # e.g. a stray carriage return inside a column name
        raise BatchRejected(file.source_file, f"unreadable file (malformed header: {e})") from e


def _parquet_header(con: duckdb.DuckDBPyConnection, file: LandingFile) -> tuple[str, ...]:
    if file.size_bytes == 0:
        raise BatchRejected(file.source_file, "empty file (no header)")
    try:
        rows = con.execute("describe select * from read_parquet(?)", [str(file.path)]).fetchall()
    except duckdb.Error as e:
        raise BatchRejected(file.source_file, f"unreadable file ({e})") from e
    return tuple(str(r[0]) for r in rows)


def inspect(con: duckdb.DuckDBPyConnection, file: LandingFile) -> Layout:
    header = _csv_header(file) if file.fmt == "csv" else _parquet_header(con, file)
    entity = ENTITIES[file.entity]
    normalised = [h.strip().lower() for h in header]
    missing = [c for c in entity.required_columns if c not in normalised]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        plural = "s" if len(missing) > 1 else ""
        delimiter = next((d for d in (";", "\t", "|") if len(header) == 1 and d in header[0]), None)
        hint = f" (wrong delimiter {delimiter!r}? the contract is comma-separated)" if delimiter else ""
        raise BatchRejected(file.source_file, f"missing required column{plural} {names}{hint}")
    if entity.identifiers and not any(c in normalised for c in entity.identifiers):
        delimiter = next((d for d in (";", "\t", "|") if len(header) == 1 and d in header[0]), None)
        hint = f" (wrong delimiter {delimiter!r}? the contract is comma-separated)" if delimiter else ""
        wanted = ", ".join(f"'{c}'" for c in entity.identifiers)
        raise BatchRejected(file.source_file, f"no identifier column (one of {wanted}){hint}")
    positions = [(c, normalised.index(c)) for c in entity.column_names if c in normalised]
    used = {i for _, i in positions}
    extra = tuple(h for i, h in enumerate(header) if i not in used)
    return Layout(file, header, tuple(positions), extra)
