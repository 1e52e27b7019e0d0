"""Export day folders past the retention window are removed, never the baseline of today's
removals, `latest` or today's own; the erasure sweep reads only what is kept."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.export import erasure, retention
from pipelines.settings import Settings
from tests.export.factories import AS_OF, export, person, write_segments


def day(n: int) -> date:
    return AS_OF + timedelta(days=n)


def _folders(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "exports").iterdir() if p.is_dir() and not p.name.startswith("."))


def _swept_days(root: Path) -> list[str]:
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        return [d for (d,) in con.execute("select day from exports.swept order by day").fetchall()]


def test_folders_past_the_window_go_but_never_the_baseline_latest_or_today(tmp_path: Path) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people)
    for n in (0, 1, 2):
        export(tmp_path, as_of=day(n), keep_days=3)
    (tmp_path / "exports" / "notes").mkdir()  # not a day folder: never touched
    # a folder the ledger never confirmed (a run that died after its swap, before its commit)
    shutil.copytree(tmp_path / "exports" / day(2).isoformat(), tmp_path / "exports" / day(4).isoformat())
    # nine days later: day 2 is past the window but still the newest confirmed export, the
    # baseline of today's removals, so it stays; day 4 is newer than it and stays too
    report = export(tmp_path, as_of=day(11), keep_days=3)
    assert report.pruned == (day(0).isoformat(), day(1).isoformat())
    assert "  removed day folders past retention: 2024-03-01, 2024-03-02" in report.lines()
    assert _folders(tmp_path) == [day(n).isoformat() for n in (2, 4, 11)] + ["notes"]
    # the next day: the baseline is day 11; days 2 and 4 are past the window
    export(tmp_path, as_of=day(12), keep_days=3)
    assert _folders(tmp_path) == [day(11).isoformat(), day(12).isoformat(), "notes"]
    # a backfill keeps what is newer than its own date and `latest`, and prunes by its own date
    export(tmp_path, as_of=day(5), keep_days=3)
    assert _folders(tmp_path) == [day(n).isoformat() for n in (5, 11, 12)] + ["notes"]
    assert (tmp_path / "exports" / "latest").read_text().strip() == day(12).isoformat()
    # no retention (None): nothing is removed
    export(tmp_path, as_of=day(40))
    assert _folders(tmp_path) == [day(n).isoformat() for n in (5, 11, 12, 40)] + ["notes"]


def test_an_erasure_day_sweeps_only_kept_folders_and_no_kept_folder_holds_the_person(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(i) for i in range(6)]
    gone = people[3]
    write_segments(tmp_path / "w.duckdb", people, people)
    for n in (0, 1, 2, 3):
        export(tmp_path, as_of=day(n))
    reads: list[Path] = []
    real: Callable[[Path], pl.DataFrame] = erasure._read
    monkeypatch.setattr(erasure, "_read", lambda path: reads.append(path) or real(path))
    write_segments(tmp_path / "w.duckdb", people, people, erasures=[{"email": gone["email"]}])
    export(tmp_path, as_of=day(4), keep_days=2)  # days 0 and 1 go before the sweep
    assert _folders(tmp_path) == [day(n).isoformat() for n in (2, 3, 4)]
    assert {p.relative_to(tmp_path / "exports").parts[0] for p in reads} == {
        day(2).isoformat(),
        day(3).isoformat(),
    }
    assert _swept_days(tmp_path) == [day(2).isoformat(), day(3).isoformat()]
    export(tmp_path, as_of=day(5), keep_days=2)  # sweeps day 4 (it carried the removal), prunes 2
    for path in (tmp_path / "exports").rglob("*.*"):
        text = (
            path.read_text(encoding="utf-8")
            if path.suffix != ".parquet"
            else str(pl.read_parquet(path).rows())
        )
        assert gone["email"] not in text and gone["customer_id"] not in text, path
    assert _swept_days(tmp_path) == [day(3).isoformat(), day(4).isoformat()]


def test_a_removal_that_dies_halfway_leaves_no_visible_folder_and_the_next_run_finishes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(i) for i in range(4)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=day(0), keep_days=1)
    export(tmp_path, as_of=day(1), keep_days=1)

    def dies(path: Path) -> None:
        (path / "manifest.json").unlink()  # part of the folder is gone, then the process dies
        raise OSError("killed")

    monkeypatch.setattr(retention, "rmtree", dies)
    with pytest.raises(OSError, match="killed"):
        export(tmp_path, as_of=day(3), keep_days=1)
    assert _folders(tmp_path) == [day(1).isoformat()]  # day 0 is hidden, never half visible
    assert [p.name[:15] for p in (tmp_path / "exports").glob(".*.old-*")] == [f".{day(0).isoformat()}.old"]
    monkeypatch.undo()
    export(tmp_path, as_of=day(3), keep_days=1)
    assert sorted(p.name for p in (tmp_path / "exports").iterdir()) == [
        day(1).isoformat(),
        day(3).isoformat(),
        "latest",
    ]


def test_the_window_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().export_keep_days == 14
    monkeypatch.setenv("RAPPORT_EXPORT_KEEP_DAYS", "30")
    assert Settings().export_keep_days == 30
    monkeypatch.setenv("RAPPORT_EXPORT_KEEP_DAYS", "0")
    with pytest.raises(ValueError, match="export_keep_days"):
        Settings()


def test_the_export_stage_hands_the_setting_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipelines.export
    from pipelines import stages
    from pipelines.export import ExportReport
    from pipelines.settings import get_settings

    seen: dict[str, object] = {}

    def fake(*args: object, **kwargs: object) -> ExportReport:
        seen.update(kwargs)
        return ExportReport(day(0), "r", (), (), None, dry_run=True)

    monkeypatch.setattr(pipelines.export, "export_segments", fake)
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    monkeypatch.setenv("RAPPORT_EXPORT_KEEP_DAYS", "9")
    get_settings.cache_clear()
    try:
        stages.export(as_of=day(0).isoformat(), run_id="r")
    finally:
        get_settings.cache_clear()
    assert seen["keep_days"] == 9


def _ledger_days(root: Path) -> list[date]:
    with duckdb.connect(str(root / "w.duckdb"), read_only=True) as con:
        return [
            d for (d,) in con.execute("select distinct as_of_date from exports.members order by 1").fetchall()
        ]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_ledger_keeps_the_lists_a_rerun_in_the_window_diffs_against(tmp_path: Path) -> None:
    """The ledger's lists go with the window too (they grew by every pair's whole list a day):
    each pair keeps its newest success before the window and every list since, so a rerun of
    the window's first day still finds its baseline and writes the same bytes; None keeps all."""
    people = [person(i) for i in range(9)]
    for n in range(6):  # a list that changes every day, so each day's diff has removals
        write_segments(tmp_path / "w.duckdb", people[n : n + 3], people[n + 1 : n + 4])
        export(tmp_path, as_of=day(n), keep_days=2)
    # the window of day 5 starts at day 3; day 2 is the newest success before it
    assert _ledger_days(tmp_path) == [day(n) for n in (2, 3, 4, 5)]
    first = _files(tmp_path / "exports" / day(3).isoformat())
    write_segments(tmp_path / "w.duckdb", people[3:6], people[4:7])
    export(tmp_path, as_of=day(3), keep_days=2)  # a rerun of the window's first day
    assert _files(tmp_path / "exports" / day(3).isoformat()) == first
    write_segments(tmp_path / "w.duckdb", people[6:9], people[6:9])
    export(tmp_path, as_of=day(30))  # no retention: every list stays
    assert _ledger_days(tmp_path) == [day(n) for n in (2, 3, 4, 5, 30)]
