"""Which cells of the warehouse's columns are an erased person's.

A cell is theirs when its id key (whitespace trimmed) is one of their ids, or its lower case
(DuckDB's `lower`) contains one of their text forms (already lower case). Both tests depend on
the value alone, so they are decided once per distinct value of a column (in the rows a scan
selects): DuckDB groups the column and streams the values with their lower case in batches;
ids.py tests the value, polars' contains_any (Aho-Corasick) the lower case. The values of many
columns share one Aho-Corasick pass: building the automaton of 17k forms costs ~0.3 s, once per
column was ~100 s at 1M customers (334 columns). A column then needs an update only if some
value of it is a hit (most have none), and the update joins those few values.
Rejected, measured: one RE2 alternation of the forms per cell in SQL. RE2 gives up its DFA past
a few hundred forms (540 real forms: 146 µs a cell), and even with 30 forms (a normal day's new
erasures at 100k) the per-cell scan cost more than the distinct values did.
The id test of a streamed value is ids.py's (polars look-up, DuckDB's rule for the rare rest).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb
import polars as pl

from pipelines.forget.ids import is_id
from pipelines.forget.tokens import Tokens
from pipelines.identity import install

# values per Aho-Corasick pass, and per batch streamed from DuckDB
BATCH_ROWS = 1_000_000
_names = itertools.count()


def id_key_in(column: str, relation: str) -> str:
    """SQL: rapport_id_key(column) is a `token` of `relation`, the trimming regex run only on a
    cell that may have whitespace at an end (the exact rule, at a fraction of the cost)."""
    # one probe key for one join: an IN subquery is a join computed for every row, so an `or` of
    # two of them computed the trimming regex for every cell anyway (measured slower at 100k)
    plain = f"ascii({column}) between 33 and 126 and ascii(right({column}, 1)) between 33 and 126"
    key = f"case when {plain} then {column} else rapport_id_key({column}) end"
    return f"({key} in (select token from {relation}))"


@dataclass(frozen=True)
class Scan:
    """Look for `tokens` in the rows `rows` selects (SQL predicate; None: every row)."""

    tokens: Tokens
    rows: str | None = None

    def texts(self) -> list[str]:
        return sorted({t.lower() for t in self.tokens.texts | self.tokens.hashes})


@dataclass(frozen=True)
class Column:
    """One column of one table (both quoted SQL names) looked at by one scan."""

    table: str
    name: str
    scan: Scan


@dataclass
class _Pass:
    """Values waiting for one Aho-Corasick pass over one scan's forms."""

    texts: list[str]
    frames: list[pl.DataFrame] = field(default_factory=list)
    rows: int = 0


def _register(con: duckdb.DuckDBPyConnection, column: str, values: list[str]) -> str:
    name = f"_forget_{next(_names)}"
    con.register(name, pl.DataFrame({column: values}, schema={column: pl.String}).to_arrow())
    return name


def _flush(waiting: _Pass, found: list[list[str]]) -> None:
    if waiting.frames:
        frame = pl.concat(waiting.frames).filter(pl.col("low").str.contains_any(waiting.texts))
        for i, v in frame.select("i", "v").iter_rows():
            found[i].append(v)
    waiting.frames, waiting.rows = [], 0


def hits(
    con: duckdb.DuckDBPyConnection, columns: Sequence[Column], batch_rows: int = BATCH_ROWS
) -> list[list[str]]:
    """For each column, its distinct values (in the rows its scan selects) that are the scan's
    people's. Only the values waiting for one pass are held in memory, never a whole column."""
    found: list[list[str]] = [[] for _ in columns]
    ids: dict[Tokens, pl.Series] = {}  # one id list per token set
    passes: dict[Tokens, _Pass] = {}  # one Aho-Corasick pass per token set and batch
    odd = con.cursor()  # ids.py asks DuckDB's rule of a rare value while `con` streams
    install(odd)
    try:
        for i, column in enumerate(columns):
            key = column.scan.tokens
            if key not in ids:
                ids[key] = pl.Series(sorted(column.scan.tokens.ids), dtype=pl.String)
                passes[key] = _Pass(column.scan.texts())
            waiting = passes[key]
            where = f" and ({column.scan.rows})" if column.scan.rows else ""
            batches = con.sql(
                f"select v, lower(v) as low from (select distinct {column.name} as v from {column.table}"
                f" where {column.name} is not null{where})"
            ).to_arrow_reader(batch_rows)
            assert batches is not None
            for batch in batches:
                frame = pl.from_arrow(batch)
                assert isinstance(frame, pl.DataFrame)
                frame = frame.with_columns(is_id(odd, frame["v"], ids[key]))
                found[i] += frame.filter(pl.col("is_id"))["v"].to_list()
                if waiting.texts:
                    rest = frame.filter(~pl.col("is_id")).select(pl.lit(i, pl.Int32).alias("i"), "v", "low")
                    waiting.frames.append(rest)
                    waiting.rows += rest.height
                if waiting.rows >= batch_rows:
                    _flush(waiting, found)
        for waiting in passes.values():
            _flush(waiting, found)
    finally:
        odd.close()
    return found


class Cells:
    """SQL conditions 'this cell is theirs' from the hits of hits(); registers on `con` the
    small tables of hit values they read (drop with close())."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.registered: list[str] = []

    def cell(self, parts: Sequence[tuple[Column, list[str]]]) -> str | None:
        """SQL for one column from its (column scan, hit values) pairs; None if no value is a hit."""
        tests = []
        for column, values in parts:
            if not values:
                continue
            self.registered.append(_register(self.con, "v", values))
            test = f"{column.name} in (select v from {self.registered[-1]})"
            tests.append(f"(({column.scan.rows}) and {test})" if column.scan.rows else test)
        return f"({' or '.join(tests)})" if tests else None

    def close(self) -> None:
        for name in self.registered:
            self.con.unregister(name)
        self.registered = []
