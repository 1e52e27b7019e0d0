"""Tasks append progress records (JSON lines) to RAPPORT_PROGRESS_FILE; the CLI tails that file.

A record per task start, finish (seconds and the task's one-line summary) and failure (the
domain error's one-line cause and what to do next), plus `note` records inside long steps
(dbt's N of M). Appends of one short line are atomic enough for one writer at a time, which
the DAG guarantees (tasks run one after another).
"""

from __future__ import annotations

import functools
import json
import os
import time
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from pipelines.progress.cause import cause_and_hint

ENV = "RAPPORT_PROGRESS_FILE"
P = ParamSpec("P")
R = TypeVar("R")


def _write(record: dict[str, Any]) -> None:
    path = os.environ.get(ENV)
    if not path:
        return
    try:
        with open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"at": time.time(), **record}, default=str) + "\n")
    except OSError:  # progress is for people watching; it never fails the run
        pass


def _task(default: str) -> str:
    # Airflow exports the running task's id; the CLI and tests call stages without it.
    return os.environ.get("AIRFLOW_CTX_TASK_ID") or default


def note(text: str, done: int | None = None, total: int | None = None) -> None:
    """Progress inside a step, e.g. note('stg_orders OK', 12, 85)."""
    _write({"event": "note", "task": _task("step"), "text": text, "done": done, "total": total})


def reported(
    name: str, headline: Callable[[Any], str] | None = None
) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Record start, end and failure of a stage; `headline` turns its result into one line."""

    def wrap(fn: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            task, started = _task(name), time.monotonic()
            attempt = os.environ.get("AIRFLOW_CTX_TRY_NUMBER")
            _write({"event": "start", "task": task, "try": attempt})
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:
                cause, hint = cause_and_hint(exc)
                _write(
                    {
                        "event": "failed", "task": task, "try": attempt,
                        "seconds": time.monotonic() - started, "error": type(exc).__name__,
                        "cause": cause, "hint": hint,
                    }
                )  # fmt: skip
                raise
            summary = headline(result) if headline else _first_line(result)
            _write({"event": "done", "task": task, "seconds": time.monotonic() - started, "summary": summary})
            return result

        return run

    return wrap


def _first_line(result: object) -> str:
    if isinstance(result, list | tuple):
        return str(result[0]) if result else ""
    return str(result)
