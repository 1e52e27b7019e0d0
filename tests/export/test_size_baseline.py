"""The list-size gate's baseline comes from the export ledger (exports.segment_sizes), and a
ledger written before that table existed is upgraded from the day manifests it left."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.quality import QualityGateFailed
from tests.export.factories import AS_OF, export, person, write_segments

DAY2 = date(2024, 3, 2)
DAY3 = date(2024, 3, 3)


def sizes(tmp_path: Path) -> list[tuple[str, date, int, str]]:
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        return con.execute("select * from exports.segment_sizes order by all").fetchall()


def test_each_run_records_eligible_rows_per_segment_and_a_rerun_replaces_its_day(tmp_path: Path) -> None:
    people = [person(i) for i in range(10)]
    write_segments(
        tmp_path / "w.duckdb", people[:8], people[5:], suppressions=[{"email": people[0]["email"]}]
    )
    export(tmp_path)
    assert sizes(tmp_path) == [
        ("at_risk", AS_OF, 0, "run-1"), ("champions", AS_OF, 7, "run-1"), ("win_back", AS_OF, 5, "run-1")
    ]  # fmt: skip
    write_segments(tmp_path / "w.duckdb", people[:9], people[5:])
    export(tmp_path, run_id="run-1b")
    assert sizes(tmp_path) == [
        ("at_risk", AS_OF, 0, "run-1b"), ("champions", AS_OF, 9, "run-1b"), ("win_back", AS_OF, 5, "run-1b")
    ]  # fmt: skip


def test_a_list_that_shrinks_below_the_bound_of_the_previous_export_is_refused(tmp_path: Path) -> None:
    people = [person(i) for i in range(40)]
    write_segments(tmp_path / "w.duckdb", people, people[:10])
    export(tmp_path)
    write_segments(tmp_path / "w.duckdb", people[:2], people[:10])
    with pytest.raises(QualityGateFailed, match=r"segment_export\[champions\]"):
        export(tmp_path, as_of=DAY2, run_id="run-2")
    assert not (tmp_path / "exports" / DAY2.isoformat()).exists()
    # a backfill of the first day has no earlier export: nothing bounds it
    export(tmp_path, as_of=date(2024, 2, 1), run_id="run-0")


def test_an_old_ledger_gets_its_sizes_from_the_manifests_it_wrote_and_still_bounds_the_list(
    tmp_path: Path,
) -> None:
    people = [person(i) for i in range(40)]
    write_segments(tmp_path / "w.duckdb", people, people[:10])
    export(tmp_path)
    export(tmp_path, as_of=DAY2, run_id="run-2")
    # what a ledger from before the sizes table looks like: the table is not there
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("drop table exports.segment_sizes")
    hidden = tmp_path / "exports" / f".{DAY3.isoformat()}.tmp-x"  # an interrupted run's folder
    hidden.mkdir()
    (hidden / "manifest.json").write_text(json.dumps({"run_id": "x", "segments": {"champions": {"rows": 1}}}))
    write_segments(tmp_path / "w.duckdb", people[:2], people[:10])
    with pytest.raises(QualityGateFailed, match=r"segment_export\[champions\]"):
        export(tmp_path, as_of=DAY3, run_id="run-3")
    assert sizes(tmp_path) == [
        ("at_risk", AS_OF, 0, "run-1"), ("at_risk", DAY2, 0, "run-2"),
        ("champions", AS_OF, 40, "run-1"), ("champions", DAY2, 40, "run-2"),
        ("win_back", AS_OF, 10, "run-1"), ("win_back", DAY2, 10, "run-2"),
    ]  # fmt: skip
