"""The segment gate validates each segment once, and each distinct e-mail once, cached in the
warehouse by address and validator version, so a rerun or the next day validates none again."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pytest

import expectations.suites.valid_email as valid_email
import pipelines.quality.segment as segment_gate
from pipelines.quality import QualityGateFailed
from tests.export.factories import export, person, write_segments


@pytest.fixture
def validated(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address this run decides: those the plain shape takes (pipelines/email_shapes.py),
    then the ones email_validator is asked about, in order."""
    asked: list[str] = []
    real, real_shape = valid_email.validate_email, valid_email.certainly_valid

    def spy(value: str, **kwargs: Any) -> Any:
        asked.append(value)
        return real(value, **kwargs)

    def shape_spy(values: pa.Array) -> pa.Array:
        sure = real_shape(values)
        asked.extend(v for v, s in zip(values.to_pylist(), sure.to_pylist(), strict=True) if s)
        return sure

    monkeypatch.setattr(valid_email, "validate_email", spy)
    monkeypatch.setattr(valid_email, "certainly_valid", shape_spy)
    return asked


def _cache(path: Path) -> list[tuple[str, str, bool]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select * from exports.email_checks order by address").fetchall()


def test_each_segment_once_each_address_once_and_a_rerun_validates_none(
    tmp_path: Path, validated: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people[3:])  # 3 people in both segments
    gated: list[str] = []
    real_suite = segment_gate.run_suite
    monkeypatch.setattr(
        segment_gate,
        "run_suite",
        lambda suite, frame, name, *a, **k: gated.append(name) or real_suite(suite, frame, name, *a, **k),
    )
    export(tmp_path)
    # champions goes to six destinations, win_back to three: each list is validated once
    assert sorted(gated) == ["at_risk", "champions", "win_back"]
    assert sorted(validated) == sorted(p["email"] for p in people)
    assert _cache(tmp_path / "w.duckdb") == [(p["email"], valid_email.VALIDATOR, True) for p in people]
    validated.clear()
    export(tmp_path, run_id="run-2")  # a rerun
    export(tmp_path, as_of=date(2024, 3, 2), run_id="run-3")  # the next day, same people
    assert validated == []


def test_a_cached_verdict_decides_and_another_version_is_validated_again(
    tmp_path: Path, validated: list[str]
) -> None:
    people = [person(i) for i in range(3)]
    write_segments(tmp_path / "w.duckdb", people, [])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema exports")
        con.execute(
            "create table exports.email_checks (address varchar not null, validator varchar not null,"
            " valid boolean not null, primary key (address, validator))"
        )
        # a verdict of this version is taken as is (planted: the address is fine)...
        con.execute(
            "insert into exports.email_checks values (?, ?, false)",
            [people[0]["email"], valid_email.VALIDATOR],
        )
        # ...one of another version is not
        con.execute(
            "insert into exports.email_checks values (?, 'email-validator 0.1, no DNS', false)",
            [people[1]["email"]],
        )
    with pytest.raises(
        QualityGateFailed, match=r"be_valid_email\(email\): 1 unexpected; e.g. .person0000@example.com"
    ):
        export(tmp_path)
    assert sorted(validated) == [people[1]["email"], people[2]["email"]]
    # the gate failed: nothing written, not even the new verdicts (validated again next time)
    assert not (tmp_path / "exports").exists()
    assert len(_cache(tmp_path / "w.duckdb")) == 2


def test_a_bad_address_still_stops_the_export_when_its_verdict_is_cached(
    tmp_path: Path, validated: list[str]
) -> None:
    good = [person(i) for i in range(4)]
    bad = person(9, email="not-an-address")
    write_segments(tmp_path / "w.duckdb", good, [])
    export(tmp_path)
    write_segments(tmp_path / "w.duckdb", good, [bad])
    validated.clear()
    with pytest.raises(QualityGateFailed, match=r"segment_export\[win_back\]"):
        export(tmp_path, as_of=date(2024, 3, 2), run_id="run-2")
    assert validated == ["not-an-address"]  # the four good ones came from the cache
    assert not (tmp_path / "exports" / "2024-03-02").exists()


def test_the_cache_keeps_only_the_addresses_of_the_last_gate(tmp_path: Path, validated: list[str]) -> None:
    """An address that left every list loses its verdict (validated again if it comes back), and
    a verdict of another validator version is dropped: the cache never grows past the lists."""
    people = [person(i) for i in range(5)]
    write_segments(tmp_path / "w.duckdb", people[:3], [])
    export(tmp_path)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute(
            "insert into exports.email_checks values (?, 'email-validator 0.1, no DNS', true)",
            [people[1]["email"]],
        )
    write_segments(tmp_path / "w.duckdb", people[1:2], people[3:])  # person 0 and 2 left every list
    validated.clear()
    export(tmp_path, as_of=date(2024, 3, 2), run_id="run-2")
    assert sorted(validated) == [people[3]["email"], people[4]["email"]]
    kept = [(p["email"], valid_email.VALIDATOR, True) for p in (people[1], people[3], people[4])]
    assert _cache(tmp_path / "w.duckdb") == kept
    write_segments(tmp_path / "w.duckdb", people[:1], people[1:2])  # person 0 is back: validated again
    validated.clear()
    export(tmp_path, as_of=date(2024, 3, 3), run_id="run-3")
    assert validated == [people[0]["email"]]
    assert _cache(tmp_path / "w.duckdb") == [(p["email"], valid_email.VALIDATOR, True) for p in people[:2]]
