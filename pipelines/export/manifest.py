"""Export bookkeeping: per-day manifest.json (the commit marker) and the `latest` pointer.

Layout: <export_dir>/<YYYY-MM-DD>/<segment>.csv, <export_dir>/<YYYY-MM-DD>/manifest.json,
<export_dir>/latest. A day directory without manifest.json is an interrupted export.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.export.files import atomic_write

MANIFEST = "manifest.json"
LATEST = "latest"


def _day(path: Path) -> date | None:
    try:
        return date.fromisoformat(path.name)
    except ValueError:
        return None


def previous_count(export_dir: Path, segment: str, as_of: date) -> int | None:
    """Rows of `segment` in the newest successful export strictly before `as_of`.

    Strictly before, so a rerun or a backfill compares against the list that preceded it,
    not against itself or a later day.
    """
    days = sorted(
        (day, path)
        for path in export_dir.glob(f"*/{MANIFEST}")
        if (day := _day(path.parent)) is not None and day < as_of
    )
    for _, path in reversed(days):
        segments = json.loads(path.read_text(encoding="utf-8"))["segments"]
        if segment in segments:
            return int(segments[segment]["rows"])
    return None


def invalidate(day_dir: Path) -> None:
    """Drop a day's manifest before rewriting its files, so a crash midway is visible."""
    (day_dir / MANIFEST).unlink(missing_ok=True)


def write_manifest(day_dir: Path, as_of: date, run_id: str, segments: dict[str, Any]) -> Path:
    path = day_dir / MANIFEST
    body = {"as_of": as_of.isoformat(), "run_id": run_id, "segments": segments}
    atomic_write(path, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path


def read_latest(export_dir: Path) -> date | None:
    path = export_dir / LATEST
    return date.fromisoformat(path.read_text().strip()) if path.exists() else None


def advance_latest(export_dir: Path, as_of: date) -> date:
    """Point `latest` at as_of unless a newer day is already exported (backfills)."""
    current = read_latest(export_dir)
    if current is None or as_of >= current:
        atomic_write(export_dir / LATEST, f"{as_of.isoformat()}\n".encode())
        return as_of
    return current
