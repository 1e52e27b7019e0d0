"""Show a run's progress records: a live `rich` display on a terminal, plain lines otherwise.

Plain lines (CI, Airflow logs, a pipe) carry the same facts, one line per finished task and
dbt's N of M at each quarter, so a log reads like the terminal did.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from pipelines.progress.follow import Event


def task_line(event: Event) -> str:
    """'  ok   stage_landing          4.2 s  staged 12 file(s) ...' for a done/failed record."""
    mark = "ok  " if event["event"] == "done" else "FAIL"
    text = event.get("summary") if event["event"] == "done" else event.get("cause")
    return f"  {mark} {event['task']:<22} {event['seconds']:>6.1f} s  {text}"


class RunView:
    """Context manager; feed it records with `__call__`. Failed records are kept for the verdict."""

    def __init__(self, stream: TextIO | None = None, live: bool | None = None) -> None:
        self.stream = stream or sys.stdout
        self.live = self.stream.isatty() if live is None else live
        self.failures: list[Event] = []
        self.done: list[Event] = []
        self._quarter: dict[tuple[str, int], int] = {}
        self._progress: Progress | None = None
        self._bar: object | None = None

    def __enter__(self) -> RunView:
        if self.live:
            console = Console(file=self.stream)
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), console=console, transient=True,
            )  # fmt: skip
            self._progress.__enter__()
            self._bar = self._progress.add_task("starting Airflow", total=None)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, exc, tb)

    def _print(self, line: str) -> None:
        if self._progress is not None:
            self._progress.console.print(line, markup=False, highlight=False)
        else:
            print(line, file=self.stream, flush=True)

    def __call__(self, event: Event) -> None:
        kind, task = event.get("event"), str(event.get("task"))
        if kind in ("done", "failed"):
            (self.done if kind == "done" else self.failures).append(event)
            self._print(task_line(event))
        if self._progress is not None and self._bar is not None:
            bar = self._bar  # a rich TaskID
            if kind == "start":
                self._progress.update(bar, description=task, completed=0, total=None)  # type: ignore[arg-type]
            elif kind == "note" and event.get("total"):
                text = f"{task}: {event.get('text', '')}"[:60]
                self._progress.update(bar, description=text, completed=event["done"], total=event["total"])  # type: ignore[arg-type]
        elif kind == "note" and event.get("total"):
            quarter, key = 4 * int(event["done"]) // int(event["total"]), (task, int(event["total"]))
            if quarter > self._quarter.get(key, 0):  # per (task, M): freshness then build are two counts
                self._quarter[key] = quarter
                self._print(f"       {task}: {event['done']} of {event['total']} ({event.get('text', '')})")
