"""The one way into warehouse.duckdb.

DuckDB allows one writing process per file, or any number of read-only ones, never
both, so every opener takes an advisory lock first: a writer an exclusive one, a read-only
opener a shared one. Readers run side by side (the DAG's tail fans out); a writer and anyone
else wait for each other (saying whom they wait for) instead of failing midway. A writer
names itself in the lock file (pid, command, since when); readers write no name.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import duckdb

from pipelines.settings import get_settings


class WarehouseBusy(RuntimeError):
    """Something outside the pipeline holds warehouse.duckdb open."""


def _command(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return "?"
    return " ".join(raw.replace("\0", " ").split())  # one line, even for `python -c` code


def holder(lock: Path) -> str:
    """Who holds the lock, from what its holder wrote into the lock file."""
    try:
        info = json.loads(lock.read_text() or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "read-only opener(s), which write no name"
    child = f", dbt child pid {info['child']}" if info.get("child") else ""
    return f"pid {info['pid']} ({info['command']}) since {info['since']}{child}"


def note_holder(lock: IO[str], **extra: object) -> None:
    """Write who holds the lock (and e.g. a dbt child that shares it) into the lock file."""
    info = {"pid": os.getpid(), "command": _command(os.getpid())[:300], **extra}
    info.setdefault("since", datetime.now(UTC).isoformat(timespec="seconds"))
    lock.seek(0)
    lock.truncate()
    lock.write(json.dumps(info))
    lock.flush()


@contextmanager
def exclusive(path: Path, shared: bool = False) -> Iterator[IO[str]]:
    """Hold the warehouse lock; yields the lock file, whose descriptor a child (dbt) inherits so
    the lock outlives this process only as long as the child does. `shared`: a read-only
    opener's, held by any number of readers at once, never beside a writer's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.with_suffix(path.suffix + ".lock")
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    with open(lock_path, "a+") as lock:
        try:
            fcntl.flock(lock, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for the warehouse lock, held by {holder(lock_path)}", file=sys.stderr, flush=True)
            fcntl.flock(lock, mode)
        if not shared:  # a reader's note would be another reader's, and its release wipe theirs
            note_holder(lock)
        try:
            yield lock
        finally:
            if not shared:
                lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)


def _busy(path: Path, exc: duckdb.IOException) -> WarehouseBusy:
    found = re.search(r"PID (\d+)", str(exc))
    who = f"pid {found.group(1)} ({_command(int(found.group(1)))})" if found else "another process"
    serving = get_settings().serving_dir
    return WarehouseBusy(
        f"{path} is held open by {who}, outside the pipeline's lock. BI tools and notebooks must read "
        f"{serving}/ (rapport.duckdb or current/parquet), never the warehouse: close that connection."
    )


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    if read_only and not path.exists():
        raise FileNotFoundError(f"warehouse {path} does not exist yet: run the pipeline first")
    with exclusive(path, shared=read_only):
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise _busy(path, exc) from exc
        con.execute("set enable_progress_bar = false")  # a progress bar is noise in task logs
        con.execute(f"set memory_limit = '{get_settings().duckdb_memory_limit}'")  # validated pattern
        try:
            yield con
        finally:
            con.close()


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    """A table or view `schema.table` in the connection's own database (not an attached one)."""
    # fetchall, not fetchone: duckdb 2 keeps a partly fetched result open on the connection
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return bool(found[0][0])
