"""Run a command while following the progress records its tasks append to a file.

The command's own output goes to a temporary file rather than a pipe, so a chatty
`airflow dags test` can never block on a full pipe while we poll the records.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipelines.progress.record import ENV

Event = dict[str, Any]


def _new_records(path: Path, offset: int) -> tuple[list[Event], int]:
    if not path.exists():
        return [], offset
    with path.open("rb") as f:
        f.seek(offset)
        chunk = f.read()
    complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written waits for the next poll
    events = [json.loads(line) for line in complete.decode("utf-8").splitlines() if line.strip()]
    return events, offset + len(complete)


def run_following(
    args: list[str], env: dict[str, str], records: Path, on_event: Callable[[Event], None] | None,
    poll_seconds: float = 0.3,
) -> subprocess.CompletedProcess[str]:  # fmt: skip
    """Run `args` with RAPPORT_PROGRESS_FILE=records; call on_event for each record as it lands."""
    records.parent.mkdir(parents=True, exist_ok=True)
    records.unlink(missing_ok=True)
    offset = 0
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        env = {**env, ENV: str(records)}
        proc = subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, text=True)
        while True:
            finished = proc.poll() is not None
            events, offset = _new_records(records, offset)
            for event in events:
                if on_event:
                    on_event(event)
            if finished:
                break
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=poll_seconds)
        out.seek(0)
        output = out.read()
    return subprocess.CompletedProcess(args, proc.returncode, output, "")


def read_records(records: Path) -> list[Event]:
    """Every record of a finished run (for tests and the failure summary)."""
    return _new_records(records, 0)[0] if records.exists() else []
