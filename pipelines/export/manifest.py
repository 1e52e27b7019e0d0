"""Export bookkeeping: per-day manifest.json (the commit marker) and the `latest` pointer.

Layout: <export_dir>/<YYYY-MM-DD>/<destination>/<segment>[.added|.removed].<csv|parquet>,
<export_dir>/<YYYY-MM-DD>/manifest.json, <export_dir>/latest. A day folder is swapped in
whole, manifest included; hidden `.<day>.tmp-*` folders are interrupted runs.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from pipelines.export.report import Audience, Delivery
from pipelines.files import atomic_write

MANIFEST = "manifest.json"
LATEST = "latest"


def manifest_segments(audiences: tuple[Audience, ...], deliveries: list[Delivery]) -> dict[str, Any]:
    """Per segment: eligible rows, exclusions, and per destination the diff counts and file
    checksums. A record for people and tools; the pipeline reads its figures from the ledger."""
    return {
        a.segment: {
            "rows": a.rows_eligible,
            "rows_in": a.rows_in,
            "excluded": a.rows_excluded,
            "destinations": {
                d.destination: {
                    "total": d.total,
                    "added": d.added,
                    "removed": d.removed,
                    "changed": d.changed,
                    "unchanged": d.unchanged,
                    "files": d.files,
                    "batches_sent": d.batches_sent,
                }
                for d in deliveries
                if d.segment == a.segment
            },
        }
        for a in audiences
    }


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
