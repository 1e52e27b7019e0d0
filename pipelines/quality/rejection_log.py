"""Where rejected batches are recorded and how they are read back.

Below both the quality page (report.py), which lists them, and the recorder (rejected.py),
which refreshes that page after each rejection: neither needs the other to read them.
One JSON line per rejection under the run's quality folder (not *.json, which holds suite
results).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FILE = "rejected_batches.jsonl"


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
