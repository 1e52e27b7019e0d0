"""The connection a DuckDB batch's queries run on: its own file, or the warehouse held open.

A batch copied into its own file (`copy_batch`) is table `batch` there, opened read-only per use.
A batch read in place is a query over the staged tables (`source`), run as the temporary view
`batch` on the warehouse connection the gate holds (`hold`) for the whole gate: one connection,
under the warehouse lock, so the staged rows cannot change while GX asks for metrics. Each
batch's first unexpected rows are remembered by position (`located`): their report rows are then
read by their order keys, without numbering the batch again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import duckdb


@dataclass
class Held:
    con: duckdb.DuckDBPyConnection
    located: dict[str, dict[int, tuple[Any, ...]]] = field(default_factory=dict)  # source -> position -> keys


_HELD: dict[str, Held] = {}


@contextmanager
def hold(key: str, con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Batches whose `database` is `key` run their queries on `con` inside this block."""
    _HELD[key] = Held(con)
    try:
        yield
    finally:
        del _HELD[key]


@contextmanager
def opened(database: str, source: str = "") -> Iterator[tuple[duckdb.DuckDBPyConnection, Held | None]]:
    """A connection on which table or view `batch` is the batch, and what is held for it."""
    if not source:
        with duckdb.connect(database, read_only=True) as con:
            con.execute("set enable_progress_bar = false")
            yield con, None
        return
    held = _HELD.get(database)
    if held is None:
        raise RuntimeError(f"a batch read in place needs its warehouse held open ({database})")
    held.con.execute(f"create or replace temp view batch as {source}")
    yield held.con, held
