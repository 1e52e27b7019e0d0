"""How long export day folders are kept: older ones are removed before the erasure sweep.

Nothing in the pipeline reads an earlier day folder back: each day's diffs and removals are
made against the ledger (`exports.members`, the newest successful export before the run's
date), and the size gate reads `exports.segment_sizes`. Folders are kept for the people and
tools that import them: a tool that missed a day needs that day's `.added`/`.removed`. So a
folder is removed only when all of these hold:
- its date is more than `keep_days` before the run's as-of date (never the clock: a rerun of
  a date prunes the same folders);
- it is older than every destination's baseline, the newest export before the run's date the
  ledger confirms as successful (today's removals are relative to that folder's full lists;
  any folder after it, confirmed or not, is newer still and kept);
- it is neither the folder `latest` points to nor the run's own.
Removing a folder is a rename to a hidden `.<day>.old-*` name first (paths.sweep_staging
removes leftovers at the start of the next run's writer phase, before the sweep): a crash
halfway through a delete never leaves a visible, half-deleted folder that the sweep would skip
(it only reads folders with a manifest). A removed folder needs no sweep: no row of anyone is
left in it, so the erasure guarantee holds for every folder that is kept.

The ledger's lists (`exports.members`: each day's changes, folded into lists, fold.py) are kept
by the same window: a pair's lists older than its newest successful export before
`as_of - keep_days` go, so a rerun of any date in the window still diffs against the baseline it
had, and the next day's against the newest. That newest list before the window becomes a fold's
start: its rows stored on earlier days move to its day, the rest before it goes. Without this
the ledger kept every change since the first day, and forget's rewrite copied it daily.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path
from shutil import rmtree

import duckdb
import polars as pl

from pipelines.export.fold import starts
from pipelines.export.manifest import read_latest
from pipelines.warehouse import table_exists


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(name) if len(name) == 10 else None
    except ValueError:
        return None


def _baseline_days(con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]], as_of: date) -> list[date]:
    """Per (destination, segment): the date of its newest successful export before `as_of`."""
    if not pairs or not table_exists(con, "exports", "runs"):
        return []
    con.register("_retention_pairs", pl.DataFrame(pairs, schema=["destination", "segment"], orient="row"))
    try:
        rows = con.execute(
            "select max(as_of_date) from exports.runs semi join _retention_pairs"
            " using (destination, segment) where status = 'success' and as_of_date < $a"
            " group by destination, segment",
            {"a": as_of},
        ).fetchall()
    finally:
        con.unregister("_retention_pairs")
    return [d for (d,) in rows]


def _expired(export_dir: Path, as_of: date, keep_days: int, baselines: Iterable[date]) -> list[str]:
    """The day folders under `export_dir` that may be removed (see the module's rules), sorted."""
    if not export_dir.is_dir():
        return []
    cutoff = min([as_of - timedelta(days=keep_days), *baselines])
    protect = {as_of, read_latest(export_dir)}
    days = ((p.name, _day(p.name)) for p in export_dir.iterdir() if p.is_dir())
    return sorted(name for name, day in days if day is not None and day < cutoff and day not in protect)


# per pair, its newest success before the window, and where its fold starts (fold.py)
KEPT = """create or replace temp table _ledger_kept as
select destination, segment, max(as_of_date) as as_of_date from exports.runs
where status = 'success' and as_of_date < $cutoff group by all"""
STARTED = """create or replace temp table _ledger_from as
select destination, segment, as_of_date, coalesce(started, date '0001-01-01') as started from ({starts})"""
# the rows of that day's list stored before it: no later row of the customer up to that day (the
# anti join's build side is the changes after the start; fold.py's generic join took 1.2 s CPU at
# 1M for the 33 lists, this 0.67 s)
MOVED = """select m.rowid as row_id, k.as_of_date
from exports.members m join _ledger_from k using (destination, segment)
anti join (select n.destination, n.segment, n.customer_id, n.as_of_date as later
    from exports.members n join _ledger_from f using (destination, segment)
    where n.as_of_date > f.started and n.as_of_date <= f.as_of_date) x
    on x.destination = m.destination and x.segment = m.segment and x.customer_id = m.customer_id
    and x.later > m.as_of_date
where m.as_of_date < k.as_of_date and m.as_of_date >= k.started and m.record is not null"""


def _prune_ledger(con: duckdb.DuckDBPyConnection, as_of: date, keep_days: int) -> None:
    """Per pair, its list of its newest success before the window becomes the start of every
    later fold (fold.py): the rows of that list stored earlier move to that day, all else
    before it goes."""
    if not (table_exists(con, "exports", "runs") and table_exists(con, "exports", "members")):
        return
    con.execute(KEPT, {"cutoff": as_of - timedelta(days=keep_days)})
    con.execute(STARTED.format(starts=starts(con, "_ledger_kept")))
    con.execute(
        f"update exports.members m set as_of_date = k.as_of_date from ({MOVED}) k where m.rowid = k.row_id"
    )
    for table in ("members", "member_starts"):
        con.execute(
            f"delete from exports.{table} t using _ledger_kept k where t.destination = k.destination"
            " and t.segment = k.segment and t.as_of_date < k.as_of_date"
        )
    con.execute(
        "insert into exports.member_starts select * from _ledger_kept"
        " except select * from exports.member_starts"
    )
    # a removal on a fold's first day removes nothing
    con.execute(
        "delete from exports.members m using _ledger_kept k where m.destination = k.destination"
        " and m.segment = k.segment and m.as_of_date = k.as_of_date and m.record is null"
    )


def _prune(con: duckdb.DuckDBPyConnection, export_dir: Path, names: list[str]) -> list[str]:
    """Remove these day folders (writer connection: their sweep records go too); returns them."""
    for name in names:
        hidden = export_dir / f".{name}.old-{uuid.uuid4().hex[:8]}"
        (export_dir / name).rename(hidden)
        rmtree(hidden)
    if names and table_exists(con, "exports", "swept"):
        con.execute("delete from exports.swept where day in (select unnest($d::varchar[]))", {"d": names})
    return names


def prune_expired(
    con: duckdb.DuckDBPyConnection,
    export_dir: Path,
    as_of: date,
    keep_days: int | None,
    pairs: list[tuple[str, str]],
) -> list[str]:
    """Remove the day folders and the ledger's lists past retention (writer connection); None
    keeps every folder and list."""
    if keep_days is None:
        return []
    _prune_ledger(con, as_of, keep_days)
    return _prune(con, export_dir, _expired(export_dir, as_of, keep_days, _baseline_days(con, pairs, as_of)))
