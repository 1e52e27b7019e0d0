"""What the export holds in memory while it writes: the ledger's records wait on disk, and the
writer connection runs under the export's own DuckDB cap (at 1M customers the 33 pairs' records
held as frames and DuckDB's buffers for their insert were the task's peak)."""

from __future__ import annotations

import importlib
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.settings import get_settings
from tests.export.factories import export, person, write_segments


def test_each_pairs_ledger_records_wait_in_a_parquet_file_removed_after_the_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = importlib.import_module("pipelines.export.ledger")
    seen: list[tuple[Path, pl.DataFrame]] = []
    record = ledger.record_success

    def spy(con: duckdb.DuckDBPyConnection, run: dict[str, object], members: str) -> None:
        path = Path(members)  # a file, not a frame held since the pair was written
        seen.append((path, pl.read_parquet(path)))
        record(con, run, members)

    monkeypatch.setattr(ledger, "record_success", spy)
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people[:3])
    report = export(tmp_path)
    assert len(seen) == len(report.deliveries)
    assert {p.parent.name.split(".tmp-")[0] for p, _ in seen} == {".2024-03-01.ledger"}
    assert not any(p.parent.exists() for p, _ in seen)  # removed once the ledger holds them
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        for (_, frame), delivery in zip(seen, report.deliveries, strict=True):
            kept = con.sql(
                "select customer_id, record from exports.members where destination = $d and segment = $s",
                params={"d": delivery.destination, "s": delivery.segment},
            ).pl()
            assert frame.height == delivery.total
            assert kept.equals(frame)


def test_a_failed_write_leaves_no_ledger_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people)
    real = importlib.import_module("pipelines.export.write").atomic_write
    calls = 0

    def flaky(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:  # some pairs' records are on disk by then
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr("pipelines.export.write.atomic_write", flaky)
    with pytest.raises(OSError, match="disk full"):
        export(tmp_path)
    assert list((tmp_path / "exports").iterdir()) == []


@pytest.mark.parametrize(
    ("general", "own", "expected"), [("8GiB", "1GiB", "1.0 GiB"), ("512MiB", "1GiB", "512.0 MiB")]
)
def test_the_export_writes_under_its_own_memory_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, general: str, own: str, expected: str
) -> None:
    ledger = importlib.import_module("pipelines.export.ledger")
    seen: list[str] = []
    ensure = ledger.ensure

    def spy(con: duckdb.DuckDBPyConnection) -> None:
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        ensure(con)

    monkeypatch.setattr(ledger, "ensure", spy)
    monkeypatch.setenv("RAPPORT_DUCKDB_MEMORY_LIMIT", general)
    monkeypatch.setenv("RAPPORT_DUCKDB_EXPORT_MEMORY_LIMIT", own)
    get_settings.cache_clear()
    people = [person(i) for i in range(3)]
    write_segments(tmp_path / "w.duckdb", people, people)
    try:
        export(tmp_path)
    finally:
        get_settings.cache_clear()
    assert seen == [expected]


def test_only_the_keys_columns_go_through_duckdb_and_each_row_keeps_its_own_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The lists' other columns stayed in polars (at 1M the round trip of every column cost
    ~0.3 GiB); the keys are lined up with their rows by position, so a row blocked by its phone
    or email key must be the one that carries it."""
    audience = importlib.import_module("pipelines.export.audience")
    seen: list[list[str]] = []
    real = audience.keys

    def spy(frame: pl.DataFrame, exprs: dict[str, str]) -> pl.DataFrame:
        seen.append(frame.columns)
        return real(frame, exprs)

    monkeypatch.setattr(audience, "keys", spy)
    people = [person(i, phone_e164=f"+4479460{i:05d}") for i in range(200)]
    people[7]["email"] = " Person0007@Example.com "
    frame = pl.DataFrame(people).with_columns(pl.col("is_marketable").cast(pl.Boolean))
    blocked = audience.Blocklist(emails=frozenset({"person0007@example.com", "person0150@example.com"}),
                                 phones=frozenset({"+447946000042"}))  # fmt: skip
    kept = audience.eligible(frame, blocked)
    assert seen == [["email", "phone_e164"]]
    assert kept.columns == frame.columns
    gone = {"c0007", "c0042", "c0150"}
    assert kept.equals(frame.filter(~pl.col("customer_id").is_in(list(gone))))


def test_the_sweeps_scrubber_judges_under_the_export_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipelines.export.scrub import Scrubber

    monkeypatch.setenv("RAPPORT_DUCKDB_EXPORT_MEMORY_LIMIT", "300MiB")
    get_settings.cache_clear()
    try:
        scrubber = Scrubber(frozenset({"a@example.com"}), frozenset())
    finally:
        get_settings.cache_clear()
    try:
        limit = scrubber._con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    finally:
        scrubber.close()
    assert limit == "300.0 MiB"
