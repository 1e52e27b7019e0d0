from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import stat
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines import files as export_files
from pipelines.quality import QualityGateFailed
from pipelines.settings import get_settings
from tests.export.factories import AS_OF, export, files_under, person, write_segments

DAY2 = date(2024, 3, 2)


def h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_each_destination_gets_its_tools_import_layout(tmp_path: Path) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people[3:])
    report = export(tmp_path)
    day = tmp_path / "exports" / AS_OF.isoformat()
    headers = {
        p.relative_to(day).as_posix(): p.read_bytes().split(b"\r\n")[0].decode()
        for p in day.glob("*/champions.csv")
    }
    assert headers == {
        "crm/champions.csv": "email,first_name,last_name,segment",
        "hubspot/champions.csv": "Email,First Name,Last Name,Phone Number,rapport_segment,net_revenue",
        "mailchimp/champions.csv": "Email Address,First Name,Last Name,Tags",
        "klaviyo/champions.csv": "Email,First Name,Last Name,Phone Number,Email Marketing Consent,"
        "rapport_segment",
        "google_ads/champions.csv": "Email,Phone,First Name,Last Name,Country,Zip",
        "meta_ads/champions.csv": "email,phone,fn,ln,country",
    }
    lake = pl.read_parquet(day / "lake" / "win_back.parquet")
    assert lake["customer_id"].to_list() == [p["customer_id"] for p in people[3:]]
    assert report.delivery("crm", "champions").added == 6
    # an ad-platform file carries no raw identifier at all
    raw = {v for p in people for k, v in p.items() if k in ("email", "first_name", "last_name", "phone_e164")}
    for path in (day / "google_ads").glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert not [v for v in raw if v in text], path


def test_klaviyo_priority_puts_a_customer_in_one_campaign_only(tmp_path: Path) -> None:
    people = [person(i) for i in range(9)]
    # c0..c5 champions, c3..c8 win_back, c5..c6 at_risk (priority 1), win_back priority 2
    write_segments(tmp_path / "w.duckdb", people[:6], people[3:], at_risk=people[5:7])
    report = export(tmp_path)
    day = tmp_path / "exports" / AS_OF.isoformat() / "klaviyo"
    emails = {name: {r["Email"] for r in read_csv(day / f"{name}.csv")} for name in ("at_risk", "win_back")}
    assert emails["at_risk"] == {people[5]["email"], people[6]["email"]}
    assert emails["win_back"] == {p["email"] for p in (people[3], people[4], people[7], people[8])}
    # champions has no priority: everyone stays
    assert report.delivery("klaviyo", "champions").total == 6


def test_day_two_files_hold_the_set_differences_and_a_rerun_is_byte_identical(tmp_path: Path) -> None:
    people = [person(i) for i in range(40)]
    write_segments(tmp_path / "w.duckdb", people[:30], people[20:])
    export(tmp_path, as_of=AS_OF)
    changed = {**people[12], "first_name": "Renamed"}
    write_segments(tmp_path / "w.duckdb", [*people[5:12], changed, *people[13:35]], people[20:])
    first = export(tmp_path, as_of=DAY2, run_id="run-2")
    day = tmp_path / "exports" / DAY2.isoformat() / "crm"
    added = {r["email"] for r in read_csv(day / "champions.added.csv")}
    removed = {r["email"] for r in read_csv(day / "champions.removed.csv")}
    day1 = {p["email"] for p in people[:30]}
    day2 = {p["email"] for p in people[5:35]}
    assert (added, removed) == (day2 - day1, day1 - day2)
    d = first.delivery("crm", "champions")
    assert (d.added, d.removed, d.changed, d.unchanged, d.total) == (5, 5, 1, 24, 30)
    before = {p: (tmp_path / "exports" / p).read_bytes() for p in files_under(tmp_path / "exports")}
    second = export(tmp_path, as_of=DAY2, run_id="run-3")
    after = {p: (tmp_path / "exports" / p).read_bytes() for p in files_under(tmp_path / "exports")}
    manifest = f"{DAY2.isoformat()}/manifest.json"
    assert {k: v for k, v in after.items() if k != manifest} == {
        k: v for k, v in before.items() if k != manifest
    }
    assert second.delivery("crm", "champions").files == d.files
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        runs = con.execute(
            "select as_of_date, status, added, removed, files from exports.runs"
            " where destination = 'crm' and segment = 'champions' order by run_id"
        ).fetchall()
    assert [(r[0], r[1], r[2], r[3]) for r in runs] == [
        (AS_OF, "success", 30, 0), (DAY2, "success", 5, 5), (DAY2, "success", 5, 5)
    ]  # fmt: skip
    assert json.loads(runs[2][4]) == d.files


def test_an_erased_customer_is_removed_once_then_swept_from_every_export(tmp_path: Path) -> None:
    people = [person(i) for i in range(8)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path)
    erased, suppressed = people[2], people[3]
    lists = {
        # an erasure by a merged account's source id, a suppression by address (other case)
        "erasures": [{"customer_id": f"src-{erased['customer_id']}"}],
        "suppressions": [{"email": "  " + suppressed["email"].upper(), "reason": "complaint"}],
    }
    write_segments(tmp_path / "w.duckdb", people, people, **lists)
    export(tmp_path, as_of=DAY2)
    day2 = tmp_path / "exports" / DAY2.isoformat()
    # day 2 tells every tool that had them to drop them, in its own removal terms
    removed = {r["email"]: r["action"] for r in read_csv(day2 / "crm" / "champions.removed.csv")}
    assert removed == {erased["email"]: "unsubscribe", suppressed["email"]: "unsubscribe"}
    assert not [
        p for p in day2.rglob("*.csv") if ".removed." not in p.name and erased["email"] in p.read_text()
    ]
    # the next run sweeps every earlier folder (the removal of day 2 included) and the ledger
    write_segments(tmp_path / "w.duckdb", people, people, **lists)
    export(tmp_path, as_of=date(2024, 3, 3))
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        kept = con.execute("select count(*) from exports.members where customer_id = 'c0002'").fetchall()
    assert kept == [(0,)], "the ledger keeps no record of an erased person"
    hashes = {h(erased["email"]), h(erased["phone_e164"]), h(erased["phone_e164"].lstrip("+"))}
    for path in (tmp_path / "exports").rglob("*"):
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8")
            assert erased["email"] not in text and not [x for x in hashes if x in text], path
        elif path.suffix == ".parquet":
            assert erased["customer_id"] not in pl.read_parquet(path)["customer_id"].to_list(), path
        elif path.name == "manifest.json":  # checksums follow the rewritten files
            for segment in json.loads(path.read_text())["segments"].values():
                for dest in segment["destinations"].values():
                    for rel, digest in dest["files"].items():
                        assert export_files.sha256((path.parent / rel).read_bytes()) == digest, rel


def test_failed_run_leaves_no_partial_file_and_the_next_run_recovers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(i) for i in range(10)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path)
    before = files_under(tmp_path / "exports")
    write_segments(tmp_path / "w.duckdb", people[:8], people)
    calls = 0
    real = export_files.atomic_write

    def flaky(path: Path, data: bytes) -> None:
        nonlocal calls
        calls += 1
        if calls == 7:
            raise OSError("disk full")
        real(path, data)

    monkeypatch.setattr("pipelines.export.write.atomic_write", flaky)
    with pytest.raises(OSError, match="disk full"):
        export(tmp_path, as_of=DAY2)
    assert files_under(tmp_path / "exports") == before  # no day-2 folder, no temp folder
    monkeypatch.undo()
    report = export(tmp_path, as_of=DAY2)
    assert report.delivery("crm", "champions").removed == 2
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        statuses = con.execute(
            "select status, count(*) from exports.runs where as_of_date = $d group by 1 order by 1",
            {"d": DAY2},
        ).fetchall()
    assert statuses == [("failed", 10), ("success", 10)]


def test_dry_run_counts_without_writing(tmp_path: Path) -> None:
    people = [person(i) for i in range(10)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path)
    write_segments(tmp_path / "w.duckdb", people[2:], people)
    before = files_under(tmp_path)
    report = export(tmp_path, as_of=DAY2, dry_run=True)
    d = report.delivery("google_ads", "champions")
    assert (d.added, d.removed, d.unchanged) == (0, 2, 8)
    assert "google_ads/champions: add 0, remove 2, keep 8" in "\n".join(report.lines())
    assert files_under(tmp_path) == before


NAMES = [
    ('देवनागरी, "अनु"', "शर्मा"),  # Devanagari with a comma and quotes
    ("বাংলা", "দাস,\nরায়"),  # Bengali with a comma and an embedded newline
    ("李", "小龙, 王"),  # CJK
    ("  spaced  ", None),  # surrounding spaces kept; a missing name stays empty
]


def test_names_in_every_script_round_trip_through_every_csv_layout(tmp_path: Path) -> None:
    people = [person(i, first_name=f, last_name=ln) for i, (f, ln) in enumerate(NAMES)]
    write_segments(tmp_path / "w.duckdb", people, people[:2])
    export(tmp_path)
    day = tmp_path / "exports" / AS_OF.isoformat()
    data = (day / "crm" / "champions.csv").read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert parsed[1:] == [[p["email"], p["first_name"], p["last_name"] or "", p["segment"]] for p in people]
    mailchimp = read_csv(day / "mailchimp" / "champions.csv")
    assert [r["Last Name"] for r in mailchimp] == [p["last_name"] or "" for p in people]


def test_failing_gate_writes_nothing(tmp_path: Path) -> None:
    good = [person(i) for i in range(5)]
    write_segments(tmp_path / "w.duckdb", good, [*good[:3], person(9, email="not-an-address")])
    with pytest.raises(QualityGateFailed, match=r"segment_export\[win_back\]"):
        export(tmp_path)
    assert not (tmp_path / "exports").exists()


def test_missing_segment_model_is_a_clear_error(tmp_path: Path) -> None:
    write_segments(tmp_path / "w.duckdb", [], [])
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("drop table segments.segment_win_back")
    with pytest.raises(LookupError, match="segment_win_back"):
        export(tmp_path)


@pytest.mark.parametrize("env_key", [None, "a key from the secret store"])
def test_the_ledger_remembers_an_erased_person_only_as_a_keyed_hash_and_never_re_adds_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env_key: str | None
) -> None:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path / "home"))
    if env_key:
        monkeypatch.setenv("RAPPORT_ERASURE_KEY", env_key)
    else:
        monkeypatch.delenv("RAPPORT_ERASURE_KEY", raising=False)
    get_settings.cache_clear()
    try:
        people = [person(i) for i in range(6)]
        erased = people[2]
        write_segments(tmp_path / "w.duckdb", people, people)
        export(tmp_path)
        write_segments(tmp_path / "w.duckdb", people, people, erasures=[{"email": erased["email"]}])
        export(tmp_path, as_of=DAY2)
        # the erasure row is gone (a replaced list, a rebuilt warehouse): still never re-added
        write_segments(tmp_path / "w.duckdb", people, people)
        report = export(tmp_path, as_of=date(2024, 3, 3))
    finally:
        get_settings.cache_clear()
    assert report.delivery("crm", "champions").added == 0
    day3 = tmp_path / "exports" / "2024-03-03"
    assert not [p for p in day3.rglob("*.csv") if erased["email"] in p.read_text(encoding="utf-8")]
    key_file = tmp_path / "home" / "secrets" / "erasure.key"
    if env_key:
        assert not key_file.exists()
        key = env_key.encode()
    else:
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        key = key_file.read_text().strip().encode()
    digest = hmac.new(key, erased["email"].encode(), hashlib.sha256).hexdigest()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        stored = con.execute("select kind, digest from exports.erased").fetchall()
        rows = con.execute("select * from exports.erased").fetchall()
    cells = " ".join(str(c) for row in rows for c in row)
    assert ("email", digest) in stored
    assert ("id", hmac.new(key, b"c0002", hashlib.sha256).hexdigest()) in stored
    assert erased["email"] not in cells and "c0002" not in cells and h(erased["email"]) not in cells


def test_a_person_reached_through_a_shared_phone_is_kept_out_but_their_keys_are_not_remembered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """c0003 shares c0002's phone. The request names c0002 by email; from then on the remembered
    phone keeps c0003 out too (fails closed), but c0003's own email is not remembered: otherwise
    whoever shares it (or c0003's other phones) would be erased the next day, and so on through
    every shared phone (DECISIONLOG, stop 18)."""
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("RAPPORT_ERASURE_KEY", "k" * 40)
    get_settings.cache_clear()
    try:
        people = [person(i) for i in range(6)]
        people[3]["phone_e164"] = people[2]["phone_e164"]
        request = [{"email": people[2]["email"]}]
        write_segments(tmp_path / "w.duckdb", people, people, erasures=request)
        export(tmp_path)
        write_segments(tmp_path / "w.duckdb", people, people, erasures=request)
        export(tmp_path, as_of=DAY2)
    finally:
        get_settings.cache_clear()

    def keyed(value: str) -> str:
        return hmac.new(b"k" * 40, value.encode(), hashlib.sha256).hexdigest()

    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        stored = set(con.execute("select kind, digest from exports.erased").fetchall())
    assert ("email", keyed(people[2]["email"])) in stored
    assert ("phone", keyed(people[2]["phone_e164"])) in stored
    assert ("email", keyed(people[3]["email"])) not in stored
    assert ("id", keyed("c0003")) not in stored
    day2 = tmp_path / "exports" / DAY2.isoformat()
    sent = " ".join(p.read_text(encoding="utf-8") for p in day2.rglob("*.csv") if ".removed" not in p.name)
    assert people[3]["email"] not in sent and people[2]["email"] not in sent
