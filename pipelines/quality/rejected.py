"""Rejected batches: a landing file that broke a batch rule, so nothing of its batch loaded.

The loader raises BatchRejected before any suite runs; without a record here, `rapport
quality` and the quality page would show a failed run as "no suites". One JSON line per
rejection under the run's quality folder (not *.json, which holds suite results).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FILE = "rejected_batches.jsonl"


def record_rejection(quality_dir: Path, run_id: str, source_file: str, rule: str) -> None:
    run_dir = quality_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with (run_dir / FILE).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"run_id": run_id, "at": at, "source_file": source_file, "rule": rule}) + "\n")
    from pipelines.quality.report import write_index

    write_index(run_dir)  # the run's quality page shows the rejection at its top


def rejections(quality_dir: Path, run_id: str | None = None) -> list[dict[str, Any]]:
    """Every recorded rejection (of one run, or of all runs), newest first."""
    pattern = f"{run_id}/{FILE}" if run_id else f"*/{FILE}"
    found = [
        json.loads(line)
        for path in quality_dir.glob(pattern)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return sorted(found, key=lambda r: r["at"], reverse=True)
