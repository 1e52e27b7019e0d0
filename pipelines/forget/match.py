"""Which cells of a warehouse column are an erased person's.

A cell is theirs when its id key (whitespace trimmed) is one of their ids, or its lower case
(DuckDB's `lower`) contains one of their text forms (already lower case). The containment is
decided once per distinct value of the column by one Aho-Corasick pass (polars' contains_any),
the distinct values (of the rows a scan selects) read from DuckDB in batches, lower-cased after
grouping. Rejected, measured: one RE2 alternation of the forms per cell in SQL. RE2 gives up its
DFA past a few hundred forms (540 real forms: 146 µs a cell), and even with 30 forms (a normal
day's new erasures at 100k) the per-cell scan cost more than the distinct values did.
The id test skips the trimming regex for a cell whose first and last characters are printable
ASCII (no whitespace of any kind can sit there, so its id key is the cell itself): ~80 ns a cell
instead of ~200.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.forget.tokens import Tokens

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


class Matcher:
    """Builds, per column, the SQL condition 'this cell is theirs' for a list of scans of one
    table; registers on `con` the small tables those conditions read (drop with close())."""

    def __init__(self, con: duckdb.DuckDBPyConnection, table: str, scans: list[Scan]) -> None:
        self.con, self.table = con, table
        self.scans = [s for s in scans if s.tokens.all()]
        self.registered: list[str] = []
        self.ids = [self._register("token", sorted(s.tokens.ids)) for s in self.scans]

    def _register(self, column: str, values: list[str]) -> str:
        name = f"_forget_{next(_names)}"
        self.con.register(name, pl.DataFrame({column: values}, schema={column: pl.String}).to_arrow())
        self.registered.append(name)
        return name

    def _texts(self, scan: Scan, column: str) -> str:
        texts = scan.texts()
        if not texts:
            return "false"
        where = f" and ({scan.rows})" if scan.rows else ""
        # lower() once per distinct value, not once per row before grouping
        batches = self.con.sql(
            f"select v, lower(v) as low from (select distinct {column} as v from {self.table}"
            f" where {column} is not null{where})"
        ).to_arrow_reader(BATCH_ROWS)
        assert batches is not None
        hits: list[str] = []
        for batch in batches:
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            hits += frame.filter(pl.col("low").str.contains_any(texts))["v"].to_list()
        return f"{column} in (select v from {self._register('v', hits)})" if hits else "false"

    def cell(self, column: str) -> str:
        """SQL: the cell of `column` (a quoted name) is one of the scans' people's."""
        parts = []
        for scan, ids in zip(self.scans, self.ids, strict=True):
            test = f"({id_key_in(column, ids)} or {self._texts(scan, column)})"
            parts.append(f"(({scan.rows}) and {test})" if scan.rows else test)
        return f"({column} is not null and ({' or '.join(parts) or 'false'}))"

    def close(self) -> None:
        for name in self.registered:
            self.con.unregister(name)
