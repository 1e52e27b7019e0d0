"""What `rapport run` prints at the end: the failure in one line, or where to look next."""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.progress.cause import cause_and_hint
from pipelines.progress.follow import Event
from pipelines.serve.layout import Serving
from pipelines.settings import Settings


def _fallback(output: str) -> tuple[str, str]:
    """No task recorded a failure: run_dag's own verdict (an "ERROR: " line, e.g. an as-of date
    before the DAG's start_date), else the last error line Airflow logged."""
    own = re.findall(r"(?m)^ERROR: (.+)$", output)
    if own:
        return own[-1], "fix the cause above, then run again"
    raised = re.findall(r"(?m)^(?:[\w.]+\.)?(\w+(?:Error|Exception|Rejected|Failed)): (.+)$", output)
    if raised:
        name, message = raised[-1]
        return cause_and_hint(type(name, (Exception,), {})(message))
    last = [line.strip() for line in output.splitlines() if line.strip()]
    if last:  # e.g. a full disk kept the task from writing its record: the output's last word
        return last[-1][:300], "read the log below"
    return "the DAG run failed before any task reported", "read the log below"


def failure_lines(failures: list[Event], output: str, log: Path | str) -> list[str]:
    """Cause first (the failing task and its one-line cause), then what to do, then the log."""
    if failures:
        last = failures[-1]
        cause, hint = f"{last['task']} failed: {last['cause']}", str(last["hint"])
    else:
        found, hint = _fallback(output)
        cause = f"run failed: {found}"
    return [cause, f"  what to do: {hint}", f"  log: {log}"]


def next_steps(settings: Settings, landing: Path | None = None) -> list[str]:
    serving = Serving(settings.serving_dir)
    return [
        "next steps:",
        f"  open the report:     {serving.report.resolve().as_uri()}",
        f"  browse the dbt docs: {(serving.docs / 'index.html').absolute().as_uri()}",
        "  see the run in Airflow's UI: `make ui` (or `rapport ui`), then http://localhost:8080",
        "  quality details:     `rapport quality`",
        "  run on your own data: put your shop's exports in a folder, then "
        "`make run LANDING=/path/to/folder` (README: 'Your own data: the landing contract')",
    ]
