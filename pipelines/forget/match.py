"""Which cells of a warehouse column are an erased person's, decided in one of two exact ways.

A cell is theirs when its id key (whitespace trimmed) is one of their ids, or its lower case
(DuckDB's `lower`) contains one of their text forms (already lower case). Both ways below apply
exactly that rule; they differ only in cost:
- few forms (a normal day's new erasures): one RE2 alternation of the forms over each cell,
  in SQL, streamed (~0.2 µs a cell up to a few hundred forms, no memory to speak of);
- many forms (the first run over a history of erasures, 16,985 forms at 1M customers): an RE2
  alternation that large costs ~16 µs a cell (2,000 forms) to ~80 µs (17k), so each distinct
  value of the column is tested once by one Aho-Corasick pass (polars' contains_any), read
  from DuckDB in batches so only one batch is in Python at a time.
The id test skips the trimming regex for a cell whose first and last characters are printable
ASCII (no whitespace of any kind can sit there, so its id key is the cell itself).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.forget.tokens import Tokens

# Above this many text forms the distinct-value Aho-Corasick pass is cheaper than RE2 per cell.
# Measured on 1M e-mail-like cells with real forms (e-mails, phones, names, 64-hex hashes):
# 90 forms (10 people) 0.34 µs a cell, 270 forms 1.2 µs, 540 forms 146 µs (RE2's DFA gives up).
REGEX_FORMS = 100
BATCH_ROWS = 1_000_000
_names = itertools.count()


def escape(text: str) -> str:
    """`text` as an RE2 literal: ASCII letters and digits as they are, anything else by code point."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\x{{{ord(c):x}}}" for c in text)


def id_key_in(column: str, relation: str) -> str:
    """SQL: rapport_id_key(column) is a `token` of `relation`, the trimming regex run only on a
    cell that may have whitespace at an end (the exact rule, at a fraction of the cost)."""
    in_ids = f"in (select token from {relation})"
    plain = f"ascii({column}) between 33 and 126 and ascii(right({column}, 1)) between 33 and 126"
    return f"({column} {in_ids} or (not ({plain}) and rapport_id_key({column}) {in_ids}))"


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

    def __init__(
        self, con: duckdb.DuckDBPyConnection, table: str, scans: list[Scan], regex_forms: int = REGEX_FORMS
    ) -> None:
        self.con, self.table, self.regex_forms = con, table, regex_forms
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
        if len(texts) <= self.regex_forms:
            alternation = "|".join(escape(t) for t in sorted(texts, key=len, reverse=True))
            return f"regexp_matches(lower({column}), '{alternation}')"
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
