"""Runs serialised by the loader itself, whatever the scheduler does.

Airflow can run two days at once (a backfill has its own max_active_runs, and overlaps the
daily run). Without this guard the second stage drops the first run's batch, the first
commit fails and its retry "succeeds" with nothing loaded.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb

from pipelines.warehouse import table_exists


class RunOverlap(RuntimeError):
    """Another run's batch is staged and not committed yet."""


def refuse_foreign_batch(
    con: duckdb.DuckDBPyConnection, run_id: str, as_of: date, abandon_after: timedelta
) -> None:
    """Raise when another run staged a batch for another as-of date and has not committed it.

    A rerun of the same day, or the same run again, replaces the batch (the other run's
    commit then fails, it cannot pass empty). A batch older than `abandon_after` belongs to
    a run that died between stage and commit and is replaced.
    """
    if not table_exists(con, "incoming", "_batch"):
        return
    columns = {c for (c,) in con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'incoming' and table_name = '_batch'").fetchall()}  # fmt: skip
    staged_at = "staged_at" if "staged_at" in columns else "null::timestamp"
    rows = con.execute(f"select run_id, as_of, {staged_at} from incoming._batch").fetchall()
    if not rows:
        return
    other, other_as_of, at = rows[0]
    if other == run_id or other_as_of == as_of:
        return
    now = datetime.now(UTC).replace(tzinfo=None)  # metadata only: how long ago, never a result
    if at is not None and now - at > abandon_after:
        return
    raise RunOverlap(
        f"run {run_id} (as-of {as_of}) refused: run {other} staged a batch for as-of {other_as_of}"
        f"{f' at {at:%Y-%m-%d %H:%M:%S} UTC' if at else ''} and has not committed it. Runs must not overlap "
        f"(backfill with --max-active-runs 1, not beside the daily run); rerun this day after that run "
        f"ends (a batch left for over {abandon_after} counts as abandoned)."
    )
