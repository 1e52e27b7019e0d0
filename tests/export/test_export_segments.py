from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.export import ExportReport, export_segments
from pipelines.quality import QualityGateFailed
from tests.export.factories import person, write_segments

AS_OF = date(2024, 3, 1)


def export(root: Path, as_of: date = AS_OF, run_id: str = "run-1") -> ExportReport:
    return export_segments(
        root / "w.duckdb", root / "exports", root / "quality", as_of, run_id, data_docs=False
    )


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(flags=st.lists(st.sampled_from([True, False, None]), min_size=0, max_size=30))
def test_only_consenting_customers_are_exported(flags: list[bool | None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        people = [person(i, flag) for i, flag in enumerate(flags)]
        write_segments(root / "w.duckdb", people, people[::-1])
        report = export(root)
        consenting = {p["email"] for p in people if p["is_marketable"] is True}
        for item in report.segments:
            exported = pl.read_csv(item.path, infer_schema=False)
            assert set(exported["email"]) == consenting
            assert item.rows_in == len(people) == item.rows_written + item.rows_excluded
            assert item.rows_written == exported.height == len(consenting)


NAMES = [
    ('देवनागरी, "अनु"', "शर्मा"),  # Devanagari with a comma and quotes
    ("বাংলা", "দাস,\nরায়"),  # Bengali with a comma and an embedded newline
    ("తెలుగు", '"రెడ్డి"'),  # Telugu
    ("ગુજરાતી", "પટેલ\r\nX"),  # Gujarati with CRLF inside the field
    ("李", "小龙, 王"),  # CJK
    ("  spaced  ", None),  # surrounding spaces kept; a missing name stays empty
]


def test_names_in_every_script_round_trip_through_the_csv(tmp_path: Path) -> None:
    people = [person(i, first_name=first, last_name=last) for i, (first, last) in enumerate(NAMES)]
    write_segments(tmp_path / "w.duckdb", people, people[:2])
    report = export(tmp_path)
    data = report.segments[0].path.read_bytes()
    assert data.startswith(b"email,first_name,last_name,segment\r\n")  # no BOM, CRLF
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert parsed[1:] == [
        [p["email"], p["first_name"], p["last_name"] or "", p["segment"]]
        for p in sorted(people, key=lambda p: p["email"])
    ]
    back = pl.read_csv(report.segments[0].path, infer_schema=False)
    assert back["last_name"].to_list() == [p["last_name"] for p in people]


def test_rerun_is_byte_identical_and_leaves_no_temp_files(tmp_path: Path) -> None:
    people = [person(i, first_name=f"Name {i % 7}") for i in range(50)]
    write_segments(tmp_path / "w.duckdb", people[::-1], people[10:])
    first = export(tmp_path, run_id="run-1")
    before = {p.name: p.read_bytes() for p in first.manifest.parent.glob("*.csv")}
    second = export(tmp_path, run_id="run-2")
    assert {p.name: p.read_bytes() for p in second.manifest.parent.glob("*.csv")} == before
    assert [s.sha256 for s in first.segments] == [s.sha256 for s in second.segments]
    assert files_under(tmp_path / "exports") == [
        "2024-03-01/champions.csv", "2024-03-01/manifest.json", "2024-03-01/win_back.csv", "latest"
    ]  # fmt: skip
    manifest = json.loads(second.manifest.read_text())
    assert manifest["segments"]["win_back"] == {
        "file": "win_back.csv",
        "rows": 40,
        "excluded_no_consent": 0,
        "sha256": second.segments[1].sha256,
        "run_id": "run-2",
    }
    assert (tmp_path / "exports" / "latest").read_text() == "2024-03-01\n"


def test_failing_gate_writes_nothing(tmp_path: Path) -> None:
    good = [person(i) for i in range(5)]
    bad = [*good[:3], person(9, email="not-an-address")]
    write_segments(tmp_path / "w.duckdb", good, bad)
    with pytest.raises(QualityGateFailed) as raised:
        export(tmp_path)
    assert "segment_export[win_back] expect_column_values_to_be_valid_email(email)" in str(raised.value)
    assert "'not-an-address' (customer_id='c0009')" in str(raised.value)
    assert not (tmp_path / "exports").exists()
    assert (tmp_path / "quality" / "run-1" / "index.html").exists()  # but the report is there


def test_size_is_checked_against_the_previous_export_and_latest_only_moves_forward(
    tmp_path: Path,
) -> None:
    people = [person(i) for i in range(30)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=date(2024, 3, 1))
    write_segments(tmp_path / "w.duckdb", people[:2], people)  # champions collapsed 30 -> 2
    with pytest.raises(QualityGateFailed, match=r"\[champions\] expect_table_row_count"):
        export(tmp_path, as_of=date(2024, 3, 2))
    assert not (tmp_path / "exports" / "2024-03-02").exists()
    write_segments(tmp_path / "w.duckdb", people[:20], people)
    export(tmp_path, as_of=date(2024, 3, 2))
    # A backfill compares with the day before it and does not move `latest` back.
    report = export(tmp_path, as_of=date(2024, 2, 1))
    assert report.segments[0].rows_written == 20
    assert (tmp_path / "exports" / "latest").read_text() == "2024-03-02\n"


def test_missing_segment_model_is_a_clear_error(tmp_path: Path) -> None:
    write_segments(tmp_path / "w.duckdb", [], [])
    import duckdb

    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("drop table segments.segment_win_back")
    with pytest.raises(LookupError, match="segment_win_back"):
        export(tmp_path)
