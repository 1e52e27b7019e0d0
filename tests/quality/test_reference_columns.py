"""The gate's reference columns (frames.py): a key committed by another file, a customer nobody
staged or committed. Both are computed from the batch's keys first (a day costs a day), so
each is checked here against the plain reading of its rule."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

import pipelines.quality.frames as frames
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.schema import create_incoming
from pipelines.quality.frames import read_staged


def _warehouse(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        ensure_raw_tables(con)
        create_incoming(con, "r1", date(2024, 3, 1))
        con.execute(
            "insert into raw.customers (customer_id, _source_file)"
            " values ('c1', 'c/1.csv'), (null, 'c/1.csv')"
        )
        con.execute("insert into incoming.customers (customer_id, _source_file) values ('c2', 'c/2.csv')")
        # e1 came in a committed file, e2 only in a file this batch re-stages (it replaces those rows)
        con.execute(
            "insert into raw.email_events (event_id, customer_id, _source_file) values"
            " ('e1', 'c1', 'e/old.csv'), ('e2', 'c1', 'e/again.csv'), ('e9', 'c9', 'e/old.csv')"
        )
        con.execute("insert into incoming._files (source_file) values ('e/again.csv'), ('e/new.csv')")
        con.execute(
            "insert into incoming.email_events (event_id, customer_id, _source_file, _source_line) values"
            " ('e1', 'c1', 'e/new.csv', 2), ('e2', 'c2', 'e/again.csv', 2), ('e3', 'c3', 'e/new.csv', 3),"
            " (null, null, 'e/new.csv', 4), ('e1', 'c2', 'e/new.csv', 5)"
        )


@pytest.mark.parametrize("cut_below", [0.0, 1e9])  # looked up as it is / cut to the batch first
def test_seen_in_raw_and_unknown_customer_follow_their_rules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut_below: float
) -> None:
    monkeypatch.setattr(frames, "CUT_BELOW", cut_below)
    _warehouse(tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        staged = read_staged(con, "email_events", into=tmp_path / "batch.duckdb")
    assert staged is not None
    with duckdb.connect(str(tmp_path / "batch.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select event_id, _seen_in_raw, _unknown_customer from batch order by rowid"
        ).fetchall()
    assert rows == [
        ("e2", False, None),  # its earlier delivery is being replaced; c2 is staged
        ("e1", True, None),  # delivered before by a committed file; c1 is committed
        ("e3", False, "c3"),
        (None, False, None),  # no key matches nothing; no customer is no unknown customer
        ("e1", True, None),
    ]


def test_a_small_batch_runs_its_lookups_once_with_the_same_rows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's batch read in place is kept as a temporary table (frames.KEEP_UP_TO), so the metric
    queries read its rows, not the committed keys again each time; its rows are the view's."""
    from pipelines.quality.duckdb_batch import DuckDBBatch
    from pipelines.quality.duckdb_open import hold

    _warehouse(tmp_path / "w.duckdb")
    seen = {}
    for keep in (0, frames.KEEP_UP_TO):
        monkeypatch.setattr(frames, "KEEP_UP_TO", keep)
        with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con, hold("w", con):
            staged = read_staged(con, "email_events", in_place="w")
            assert staged is not None and isinstance(staged.frame, DuckDBBatch)
            batch = staged.frame
            ordered = f"select * from ({batch.source}) order by _source_file, _source_line"
            rows = con.execute(ordered).fetchall()
            seen[keep] = (batch.source, batch.columns, batch.row_count, rows)
    (view, *as_view), (kept, *as_kept) = seen[0], seen[frames.KEEP_UP_TO]
    assert "raw.email_events" in view and "raw." not in kept
    assert as_kept == as_view and as_view[1] == 5
