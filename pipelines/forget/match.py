"""Which cells of the warehouse's columns are an erased person's.

A cell is theirs when its id key (whitespace trimmed) is one of their ids, or its lower case
(DuckDB's `lower`) contains one of their text forms (already lower case). Both tests depend on
the value alone, so each distinct value is decided once for every column and every form: DuckDB
groups the union of all the columns (in all their rows; a customer id sits in ~40 columns, an
interaction id in raw and marts: 100k, 8.4M per-column distinct values, 2.3M in the union) and
streams the values with their lower case in batches; ids.py tests the value, polars' contains_any
(Aho-Corasick) the lower case against every scan's forms, one pass per batch (building the
automaton of 17k forms costs ~0.3 s). The few candidates are tested again per scan's forms, and
each column is probed, in the rows its scan selects, for the values that are its scan's (a
semi-join); a column none of them is in needs no update, and an update joins those few.
Rejected, measured: one RE2 alternation of the forms per cell in SQL. RE2 gives up its DFA past
a few hundred forms (540 real forms: 146 µs a cell), and even with 30 forms (a normal day's new
erasures at 100k) the per-cell scan cost more than the distinct values did.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import polars as pl

from pipelines.forget.distinct import distinct_theirs
from pipelines.forget.tokens import Tokens
from pipelines.forget.values import values_sql

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


@dataclass(frozen=True)
class Column:
    """One column of one table (both quoted SQL names) looked at by one scan."""

    table: str
    name: str
    scan: Scan


def _register(con: duckdb.DuckDBPyConnection, column: str, values: list[str]) -> str:
    name = f"_forget_{next(_names)}"
    con.register(name, pl.DataFrame({column: values}, schema={column: pl.String}).to_arrow())
    return name


def hits(
    con: duckdb.DuckDBPyConnection, columns: Sequence[Column], batch_rows: int = BATCH_ROWS
) -> list[list[str]]:
    """For each column, its distinct values (in the rows its scan selects) that are the scan's
    people's. Only one batch of values and the values waiting for one pass are held in memory."""
    found: list[list[str]] = [[] for _ in columns]
    groups: dict[Tokens, list[int]] = {}  # the columns of each token set
    for i, column in enumerate(columns):
        groups.setdefault(column.scan.tokens, []).append(i)
    # one pass over every column's values in all its rows, for every token set's forms at once: a
    # value that is a scan's people's is in it (a row filter only narrows), and a table's columns
    # scanned by several token sets (raw: new forms everywhere, old ones in new files) and a value
    # in raw and the marts are read and tested once (DECISIONLOG, i19forget)
    every = Tokens(*(frozenset().union(*(getattr(t, k) for t in groups)) for k in ("ids", "texts", "hashes")))
    with values_sql(con, list(dict.fromkeys((c.table, c.name) for c in columns))) as parts:
        # a value two groups hold is found in each: kept once
        candidates = (
            list(dict.fromkeys(v for part in parts for v in distinct_theirs(con, part, every, batch_rows)))
            if columns
            else []
        )
    if not candidates:
        return found
    pool = _register(con, "v", candidates)
    try:
        for tokens, members in groups.items():
            # each token set's own: the same test on the few candidates
            theirs = (
                candidates
                if tokens == every
                else distinct_theirs(con, f"select v from {pool}", tokens, batch_rows)
            )
            if not theirs:
                continue
            name = _register(con, "v", theirs)
            try:  # which columns hold which of them: a semi-join per column with a handful of values
                for i in members:
                    c = columns[i]
                    rows = f" and ({c.scan.rows})" if c.scan.rows else ""
                    found[i] = [
                        v
                        for (v,) in con.execute(
                            f"select distinct {c.name} from {c.table}"
                            f" where {c.name} in (select v from {name}){rows}"
                        ).fetchall()
                    ]
            finally:
                con.unregister(name)
    finally:
        con.unregister(pool)
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
