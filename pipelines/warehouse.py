"""The one way into warehouse.duckdb.

DuckDB allows one writing process per file and a read-only connection also
blocks a writer, so every opener takes an exclusive advisory lock first: two
tasks that would collide wait for each other instead of failing midway.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipelines.settings import get_settings


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the warehouse lock (also used around dbt, which opens the file itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_suffix(path.suffix + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist yet: run the pipeline first")
    with exclusive(path):
        con = duckdb.connect(str(path), read_only=read_only)
        con.execute("set enable_progress_bar = false")  # a progress bar is noise in task logs
        con.execute(f"set memory_limit = '{get_settings().duckdb_memory_limit}'")  # validated pattern
        try:
            yield con
        finally:
            con.close()
