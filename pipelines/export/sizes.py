"""The size gate's baseline in the export ledger: per segment and day, the eligible rows of
the last successful export (consenting, not suppressed, not erased; before any destination's
priority split, so one count a segment whatever its destinations)."""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.export.report import Audience
from pipelines.warehouse import table_exists

# Its own table, replaced per (segment, day) like exports.members: exports.runs keeps every
# rerun of a day with nothing to order them by, so "the last success of that day" is this row.
DDL = """
create schema if not exists exports;
create table if not exists exports.segment_sizes (
    segment varchar, as_of_date date, eligible integer, run_id varchar,
    primary key (segment, as_of_date));
"""


def previous_eligible(con: duckdb.DuckDBPyConnection, segment: str, as_of: date) -> int | None:
    """Eligible rows of `segment` in the newest successful export strictly before `as_of`
    (a rerun or a backfill compares with the list that preceded it); None: no baseline."""
    if not table_exists(con, "exports", "segment_sizes"):
        return None
    found = con.execute(
        "select eligible from exports.segment_sizes where segment = $s and as_of_date < $a "
        "order by as_of_date desc limit 1",
        {"s": segment, "a": as_of},
    ).fetchall()
    return int(found[0][0]) if found else None


def record_sizes(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, counts: tuple[Audience, ...]
) -> None:
    """This day's eligible rows per segment, replacing an earlier run's of the same day."""
    con.executemany(
        "insert or replace into exports.segment_sizes values ($s, $a, $e, $r)",
        [{"s": a.segment, "a": as_of, "e": a.rows_eligible, "r": run_id} for a in counts],
    )
