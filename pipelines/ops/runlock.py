"""One `rapport run` per RAPPORT_HOME: a second one is refused at once, naming the first.

Two `airflow dags test` on one project-local SQLite metadata DB break each other midway
(FOREIGN KEY errors after 15-20 s); refusing before starting costs the user nothing.
The lock is an flock, so a run that was killed leaves no stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path


class RunInProgress(RuntimeError):
    """Another `rapport run` holds this RAPPORT_HOME."""


@contextmanager
def single_run(home: Path, as_of: str, log: Path) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    path = home / ".run.lock"
    with open(path, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            try:
                info = json.loads(path.read_text() or "{}")
            except ValueError:
                info = {}
            raise RunInProgress(
                f"another rapport run is running on {home}: pid {info.get('pid', '?')}, "
                f"as-of {info.get('as_of', '?')}, started {info.get('started', '?')} "
                f"(log {info.get('log', '?')}); wait for it to finish"
            ) from None
        lock.truncate(0)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        lock.write(json.dumps({"pid": os.getpid(), "as_of": as_of, "started": started, "log": str(log)}))
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)
