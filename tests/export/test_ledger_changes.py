"""The ledger stores each day's changes, and every list folds back from them (pipelines/export/fold.py).

A day stores per pair only the added and changed records and the removed ids (a whole list
on a pair's first day and where a fold starts); each day's list, folded, is the list the day
exported: after adds, changes, removals, an erasure, a rerun of an earlier date, the retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.export import segments
from pipelines.export.diff import records
from pipelines.export.fold import folded
from tests.export.factories import AS_OF, export, person, write_segments

Lists = dict[tuple[date, str, str], set[tuple[str, str]]]


def day(n: int) -> date:
    return AS_OF + timedelta(days=n)


@pytest.fixture
def exported(monkeypatch: pytest.MonkeyPatch) -> Lists:
    """Each (day, destination, segment)'s list as the export rendered it (the newest run's)."""
    seen: Lists = {}
    real = segments.plan

    def spy(*args: Any) -> Iterator[Any]:
        for name, dest, segment, d in real(*args):
            rows = records(d.full).rows()
            seen[(current[0], name, segment)] = {(c, r) for c, r in rows}
            yield name, dest, segment, d

    current = [AS_OF]
    real_export = segments.export_segments

    def export_spy(*args: Any, **kwargs: Any) -> Any:
        current[0] = args[3]
        return real_export(*args, **kwargs)

    monkeypatch.setattr(segments, "plan", spy)
    monkeypatch.setattr("tests.export.factories.export_segments", export_spy)
    return seen


def _fold(root: Path, when: date, destination: str, segment: str) -> set[tuple[str, str]]:
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        target = (
            f"(select '{destination}' as destination, '{segment}' as segment, date '{when}' as as_of_date)"
        )
        return {
            (c, r)
            for c, r in con.execute(f"select customer_id, record from ({folded(con, target)})").fetchall()
        }


def _rows(root: Path, when: date) -> int:
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        ((n,),) = con.execute(
            "select count(*) from exports.members where as_of_date = $a", {"a": when}
        ).fetchall()
    return int(n)


def test_an_unchanged_day_stores_nothing_and_a_change_one_row(tmp_path: Path) -> None:
    people = [person(i) for i in range(8)]
    write_segments(tmp_path / "w.duckdb", people[:5], people[3:])
    first = export(tmp_path, as_of=day(0))
    assert _rows(tmp_path, day(0)) == sum(d.total for d in first.deliveries)  # the first day: whole lists
    export(tmp_path, as_of=day(1))
    assert _rows(tmp_path, day(1)) == 0  # main stored every list again
    changed = [*people[:4], {**people[4], "last_name": "Other"}]
    write_segments(tmp_path / "w.duckdb", changed, people[3:])
    report = export(tmp_path, as_of=day(2))
    # the one person changed, in every list of champions that carries the last name
    carriers = [d for d in report.deliveries if d.segment == "champions" and d.changed]
    assert _rows(tmp_path, day(2)) == len(carriers) > 0


def test_every_days_list_folds_back_after_changes_an_erasure_a_rerun_and_the_window(
    tmp_path: Path, exported: Lists
) -> None:
    people = [person(i) for i in range(12)]
    lists = [  # champions, win_back per day: people join, leave, change
        (people[0:5], people[4:8]),
        (people[1:6], people[4:9]),
        ([{**p, "first_name": "New"} for p in people[1:4]] + people[5:7], people[5:9]),
        (people[2:7], people[6:10]),
    ]
    for n, (champions, win_back) in enumerate(lists):
        write_segments(tmp_path / "w.duckdb", champions, win_back)
        export(tmp_path, as_of=day(n))
    write_segments(tmp_path / "w.duckdb", people[0:3], people[9:12])  # a rerun of day 1, other lists
    export(tmp_path, as_of=day(1))
    for (when, destination, segment), expected in exported.items():
        assert _fold(tmp_path, when, destination, segment) == expected, (when, destination, segment)
    # an erasure on day 4 of someone unchanged since day 3: day 3's list keeps them (a rerun of
    # day 4 sends the same removal), the lists from day 4 on do not
    gone = people[6]
    write_segments(
        tmp_path / "w.duckdb", people[2:7], people[6:10], erasures=[{"customer_id": gone["customer_id"]}]
    )
    export(tmp_path, as_of=day(4))
    for (when, destination, segment), expected in exported.items():
        held = {(c, r) for c, r in expected if c != gone["customer_id"] or when >= day(3)}
        assert _fold(tmp_path, when, destination, segment) == held, (when, destination, segment)
    # the next day nothing holds them; a 2-day window (from day 3) keeps day 2's lists, the newest before it
    export(tmp_path, as_of=day(5), keep_days=2)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        theirs = con.execute(
            "select count(*) from exports.members where customer_id = $c", {"c": gone["customer_id"]}
        )
        assert theirs.fetchall() == [(0,)]
        days = [
            d for (d,) in con.execute("select distinct as_of_date from exports.members order by 1").fetchall()
        ]
    assert days[0] == day(2)
    for (when, destination, segment), expected in exported.items():
        held = {(c, r) for c, r in expected if c != gone["customer_id"] or when > day(4)}
        assert _fold(tmp_path, when, destination, segment) == (held if when >= day(2) else set())
