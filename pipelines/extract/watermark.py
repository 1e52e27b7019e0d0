"""Extraction state: one record per extract run, in a JSON file beside the landing data.

It lives under `<landing>/_extract/` (underscore paths are not landing data), so it moves
with the files it describes and the warehouse keeps a single writer. A record per run,
not one number, makes a task retry idempotent: a rerun of a run id starts from the same
low bound as its first try, so it rewrites its landing file with a superset of rows.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from pipelines.files import atomic_write

STATE = Path("_extract") / "state.json"


def _read(landing: Path) -> dict[str, Any]:
    path = landing / STATE
    return json.loads(path.read_text()) if path.exists() else {"runs": {}}


def low_bound(landing: Path, run_id: str, entity: str, lookback: timedelta) -> datetime | None:
    """Where run `run_id` starts reading `entity`: the watermark of the runs before it minus the
    lookback (late commits whose updated_at is a little older than the watermark), or
    None (everything) when nothing was extracted yet."""
    runs = _read(landing)["runs"]
    if run_id in runs and entity in runs[run_id]["tables"]:
        recorded = runs[run_id]["tables"][entity]["low"]
        return datetime.fromisoformat(recorded) if recorded else None
    highs = [r["tables"][entity]["high"] for k, r in runs.items() if entity in r["tables"] and k != run_id]
    highs = [h for h in highs if h]
    return datetime.fromisoformat(max(highs)) - lookback if highs else None


def record(landing: Path, run_id: str, as_of: str, tables: dict[str, dict[str, Any]]) -> None:
    """Write the run's record atomically (a crash leaves the old state, never half a file)."""
    state = _read(landing)
    state["runs"][run_id] = {"as_of": as_of, "tables": tables}
    atomic_write(landing / STATE, json.dumps(state, indent=1, sort_keys=True))


def watermarks(landing: Path) -> dict[str, str]:
    """entity -> highest version extracted so far (for doctor and reports)."""
    marks: dict[str, str] = {}
    for run in _read(landing)["runs"].values():
        for entity, t in run["tables"].items():
            if t["high"] and t["high"] > marks.get(entity, ""):
                marks[entity] = t["high"]
    return marks
