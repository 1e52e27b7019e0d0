"""Bring a ledger written before exports.segment_sizes, or before changes were stored, up to date, once.

The size gate's baseline used to be read from each day's manifest.json; the ledger is now its
one store. A ledger from before has runs but no sizes, so its first gate would run unbounded:
the sizes are filled from the manifests those runs wrote (their `rows` are the eligible rows),
so the bound holds across the upgrade. Afterwards manifests are only written, never read back.
A ledger from before changes were stored (fold.py) holds a whole list each day: each of those
days is marked a fold's start, so every list reads back the same and the next day stores changes.
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


def _whole_lists(con: duckdb.DuckDBPyConnection) -> bool:
    """A ledger from before changes were stored: every day of `exports.members` a whole list."""
    return table_exists(con, "exports", "members") and not table_exists(con, "exports", "member_starts")


# every day a list was stored (an empty list stores no row) starts a fold (fold.py): same lists
STARTS = """create table exports.member_starts as
select destination, segment, as_of_date from exports.runs where status = 'success'
union select distinct destination, segment, as_of_date from exports.members"""


def upgrade_ledger(warehouse: Path, export_dir: Path) -> int:
    """Add exports.segment_sizes to an existing ledger that lacks it; rows filled. A ledger of
    whole lists gets exports.member_starts, marking each of its days a fold's start."""
    if not warehouse.exists():
        return 0
    with connect(warehouse, read_only=True) as con:  # a reader's lock: docs may be reading beside
        if not (_due(con) or _whole_lists(con)):
            return 0
    with connect(warehouse) as con:
        if _whole_lists(con):
            con.execute(STARTS)
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
