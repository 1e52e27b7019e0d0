"""Batch-level checks on one landing file: readable, has a header, has the required columns.

The header goes through the landing config's column mapping first. A CSV's dialect is the
config's, else the contract's (comma, double quote) when that finds the required columns,
else what DuckDB's sniff_csv finds, so `;`-separated exports load without a config.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.config import EntityFormat
from pipelines.load.discover import LandingFile
from pipelines.load.errors import BatchRejected


@dataclass(frozen=True)
class Layout:
    """Where each contract column sits in one file."""

    file: LandingFile
    header: tuple[str, ...]  # the file's own column names, in file order
    positions: tuple[tuple[str, int], ...]  # (contract column, index in header); absent = NULL
    extra: tuple[str, ...]  # columns the contract does not know
    delimiter: str = ","
    quote: str = '"'
    encoding: str = "utf-8"

    @property
    def group_key(self) -> tuple[str, str, tuple[str, ...], str, str, str]:
        # files with the same header and dialect are read by one DuckDB scan
        return (self.file.entity, self.file.fmt, self.header, self.delimiter, self.quote, self.encoding)


def _first_line(file: LandingFile, encoding: str) -> str:
    try:
        with open(file.path, "rb") as f:
            head = f.read(1 << 16)
    except OSError as e:
        raise BatchRejected(file.source_file, f"unreadable file ({e})") from e
    codec = {"utf-8": "utf-8-sig", "utf-16": "utf-16"}.get(encoding, encoding)
    if codec != "utf-16":  # only the header line must decode; a bad byte further down is a row defect
        head = head.split(b"\n", 1)[0]
    try:
        text = head.decode(codec, errors="ignore" if codec == "utf-16" else "strict")
    except UnicodeDecodeError as e:
        raise BatchRejected(file.source_file, f"unreadable file (header is not {encoding.upper()})") from e
    first = text.split("\n", 1)[0].strip("\r")
    if not first.strip():
        raise BatchRejected(file.source_file, "empty file (no header)")
    return first


def _csv_header(file: LandingFile, delimiter: str, quote: str, encoding: str) -> tuple[str, ...]:
    try:
        return tuple(next(csv.reader([_first_line(file, encoding)], delimiter=delimiter, quotechar=quote)))
    except csv.Error as e:  # e.g. a stray carriage return inside a column name
        raise BatchRejected(file.source_file, f"unreadable file (malformed header: {e})") from e


def _sniffed(con: duckdb.DuckDBPyConnection, file: LandingFile, encoding: str) -> tuple[str, str] | None:
    """DuckDB's guess of (delimiter, quote), or None when it cannot read the file at all."""
    try:
        rows = con.execute(
            "select Delimiter, Quote from sniff_csv(?, encoding = ?, sample_size = 20480)",
            [str(file.path), encoding],
        ).fetchall()
    except duckdb.Error:
        return None
    if not rows or not rows[0][0]:
        return None
    quote = str(rows[0][1] or "")
    return str(rows[0][0]), quote if len(quote) == 1 else '"'  # '(empty)': no quotes seen


def _names(header: tuple[str, ...], fmt: EntityFormat | None) -> list[str]:
    """Contract name of each header column: the config's mapping, else the header lower-cased."""
    mapping = {k.strip().casefold(): v for k, v in (fmt.columns if fmt else {}).items()}
    return [mapping.get(h.strip().casefold(), h.strip().lower()) for h in header]


def _parquet_header(con: duckdb.DuckDBPyConnection, file: LandingFile) -> tuple[str, ...]:
    if file.size_bytes == 0:
        raise BatchRejected(file.source_file, "empty file (no header)")
    try:
        rows = con.execute("describe select * from read_parquet(?)", [str(file.path)]).fetchall()
    except duckdb.Error as e:
        raise BatchRejected(file.source_file, f"unreadable file ({e})") from e
    return tuple(str(r[0]) for r in rows)


def inspect(con: duckdb.DuckDBPyConnection, file: LandingFile, fmt: EntityFormat | None = None) -> Layout:
    entity = ENTITIES[file.entity]
    encoding = fmt.encoding if fmt else "utf-8"
    delimiter, quote = (fmt.delimiter or ",", fmt.quote or '"') if fmt else (",", '"')
    if file.fmt == "csv":
        header = _csv_header(file, delimiter, quote, encoding)
        complete = all(c in _names(header, fmt) for c in entity.required_columns)
        sniffed = None if complete or (fmt and fmt.delimiter) else _sniffed(con, file, encoding)
        if sniffed and sniffed[0] in ",;\t|" and sniffed[0] != delimiter:
            delimiter, quote = sniffed[0], fmt.quote if fmt and fmt.quote else sniffed[1]
            header = _csv_header(file, delimiter, quote, encoding)
    else:
        header = _parquet_header(con, file)
    normalised = _names(header, fmt)
    missing = [c for c in entity.required_columns if c not in normalised]
    if missing:
        names = ", ".join(f"'{c}'" for c in missing)
        plural = "s" if len(missing) > 1 else ""
        odd = next((d for d in (";", "\t", "|") if len(header) == 1 and d in header[0]), None)
        hint = (
            f" (wrong delimiter {odd!r}? set landing config entities.{file.entity}.delimiter)"
            if odd
            else f" (map your header with landing config entities.{file.entity}.columns)"
        )
        raise BatchRejected(file.source_file, f"missing required column{plural} {names}{hint}")
    if entity.identifiers and not any(c in normalised for c in entity.identifiers):
        odd = next((d for d in (";", "\t", "|") if len(header) == 1 and d in header[0]), None)
        hint = f" (wrong delimiter {odd!r}? the contract is comma-separated)" if odd else ""
        wanted = ", ".join(f"'{c}'" for c in entity.identifiers)
        raise BatchRejected(file.source_file, f"no identifier column (one of {wanted}){hint}")
    positions = [(c, normalised.index(c)) for c in entity.column_names if c in normalised]
    used = {i for _, i in positions}
    extra = tuple(h for i, h in enumerate(header) if i not in used)
    return Layout(file, header, tuple(positions), extra, delimiter, quote, encoding)
