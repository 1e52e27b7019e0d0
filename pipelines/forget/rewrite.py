"""Rewrite a DuckDB file so deleted rows do not survive in its free blocks.

DuckDB marks deleted rows and frees the blocks of rewritten columns, but a freed block
keeps its old bytes until it is reused, and CHECKPOINT does not zero it. Copying the
database into a fresh file (COPY FROM DATABASE) and swapping it in atomically leaves no
old bytes behind. Runs under the warehouse lock (the one-writer rule), only on runs that
erased someone; DECISIONLOG has the measured cost.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb


def rewrite(path: Path, memory_limit: str) -> None:
    """Replace `path` by a compact copy of itself (same content, no free blocks); DuckDB holds at
    most `memory_limit` (a validated size) and spills beside the warehouse as its own does."""
    fresh = path.with_name(f".{path.name}.rewrite")
    fresh.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        # uncapped, the buffer pool kept every block read and written (80% of RAM by default)
        con.execute(f"set memory_limit = '{memory_limit}'")
        con.execute(f"set temp_directory = '{path}.tmp'")
        con.execute("set enable_progress_bar = false")  # a progress bar is noise in task logs
        con.execute(f"attach '{path}' as old (read_only)")
        con.execute(f"attach '{fresh}' as new")
        con.execute("copy from database old to new")
        con.execute("detach old")
        con.execute("detach new")
    except BaseException:
        con.close()
        fresh.unlink(missing_ok=True)
        raise
    con.close()
    with open(fresh, "rb+") as f:
        os.fsync(f.fileno())
    os.replace(fresh, path)
    Path(f"{path}.wal").unlink(missing_ok=True)
