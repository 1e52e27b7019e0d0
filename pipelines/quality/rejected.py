"""Rejected batches: a landing file that broke a batch rule, so nothing of its batch loaded.

The loader raises BatchRejected before any suite runs; without a record here, `rapport
quality` and the quality page would show a failed run as "no suites".
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from pipelines.quality.rejection_log import FILE
from pipelines.quality.report import write_index


def record_rejection(quality_dir: Path, run_id: str, source_file: str, rule: str) -> None:
    run_dir = quality_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with (run_dir / FILE).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"run_id": run_id, "at": at, "source_file": source_file, "rule": rule}) + "\n")
    write_index(run_dir)  # the run's quality page shows the rejection at its top
