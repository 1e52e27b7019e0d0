"""Bring a ledger written before exports.segment_sizes up to date, once.

The size gate's baseline used to be read from each day's manifest.json; the ledger is now its
one store. A ledger from before has runs but no sizes, so its first gate would run unbounded:
the sizes are filled from the manifests those runs wrote (their `rows` are the eligible rows),
so the bound holds across the upgrade. Afterwards manifests are only written, never read back.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb

from pipelines.export import sizes
from pipelines.export.manifest import MANIFEST
from pipelines.warehouse import connect, table_exists


def _is_day(name: str) -> bool:
    try:
        date.fromisoformat(name)
    except ValueError:
        return False
    return True


def _due(con: duckdb.DuckDBPyConnection) -> bool:
    return table_exists(con, "exports", "runs") and not table_exists(con, "exports", "segment_sizes")


def upgrade_ledger(warehouse: Path, export_dir: Path) -> int:
    """Add exports.segment_sizes to an existing ledger that lacks it; rows filled."""
    if not warehouse.exists():
        return 0
    with connect(warehouse, read_only=True) as con:  # a reader's lock: docs may be reading beside
        if not _due(con):
            return 0
    with connect(warehouse) as con:
        if not _due(con):
            return 0
        rows = []
        for path in sorted(export_dir.glob(f"*/{MANIFEST}")):
            if not _is_day(path.parent.name):  # skip `.<day>.tmp-*`: an interrupted run's
                continue
            body = json.loads(path.read_text(encoding="utf-8"))
            rows += [
                {"s": name, "a": path.parent.name, "e": int(entry["rows"]), "r": body["run_id"]}
                for name, entry in body["segments"].items()
            ]
        con.execute("begin transaction")
        con.execute(sizes.DDL)
        if rows:
            con.executemany("insert or replace into exports.segment_sizes values ($s, $a, $e, $r)", rows)
        con.execute("commit")
    return len(rows)
