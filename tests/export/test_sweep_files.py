"""The sweep reads an earlier folder file by file: each file judged, the cache reused across
folders, only files holding an erased person's cell rewritten, the manifest always true."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.export import erasure, scrub
from pipelines.export.erasure import SweepFailed, sweep
from pipelines.export.formats import parquet_bytes

GONE, STAYS, OTHER = "ravi.kumar@example.in", "अनीता@example.in", "meera@example.in"
GONE_HASH = hashlib.sha256(GONE.encode()).hexdigest()  # as an ad-platform file carries it
FORBIDDEN = frozenset({GONE, GONE_HASH, "c0002"})

CRM = "email,first_name,segment\r\nravi.kumar@example.in,Ravi,Champions\r\n" + (
    "अनीता@example.in,अनीता,Champions\r\n'=cmd|' /C calc'!A0,Eve,Champions\r\n"
)
ADDED = "email,first_name,segment\r\nRavi.Kumar@Example.in ,Ravi,Champions\r\n"
UNTOUCHED = "email,first_name,segment\r\nmeera@example.in,Meera,Win back\r\n"
ADS = f"Email,Phone\r\n{GONE_HASH},\r\n{hashlib.sha256(OTHER.encode()).hexdigest()},\r\n"
LAKE = pl.DataFrame(
    {"customer_id": ["c0001", "c0002", "c0003"], "email": [STAYS, "x@example.in", OTHER], "n": [1, 2, 3]}
)


def _folder(root: Path, day: str) -> Path:
    """A day folder as the export writes it: data files and a manifest of their checksums."""
    folder = root / day
    files = {
        "crm/champions.csv": CRM.encode(),
        "crm/champions.added.csv": ADDED.encode(),
        "crm/win_back.csv": UNTOUCHED.encode(),
        "google_ads/champions.csv": ADS.encode(),
        "lake/win_back.parquet": parquet_bytes(LAKE),
    }
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    checksums = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    body = {"segments": {"all": {"destinations": {"every": {"files": checksums}}}}}
    (folder / "manifest.json").write_text(json.dumps(body), encoding="utf-8")
    return folder


def _ledger() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema exports")
    return con


def _manifest_is_true(folder: Path) -> None:
    body = json.loads((folder / "manifest.json").read_bytes().decode())
    files = body["segments"]["all"]["destinations"]["every"]["files"]
    assert files == {n: hashlib.sha256((folder / n).read_bytes()).hexdigest() for n in files}


def _spy(
    monkeypatch: pytest.MonkeyPatch, fail: Callable[[Path, int], bool] = lambda p, n: False
) -> list[Path]:
    reads: list[Path] = []
    real: Callable[[Path], pl.DataFrame] = erasure._read

    def read(path: Path) -> pl.DataFrame:
        reads.append(path)
        if fail(path, reads.count(path)):
            raise OSError(f"{path.name}: input/output error")
        return real(path)

    monkeypatch.setattr(erasure, "_read", read)
    return reads


def test_each_file_is_judged_and_only_files_holding_an_erased_cell_are_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "2024-03-01")
    untouched = (folder / "crm/win_back.csv").stat().st_mtime_ns
    reads = _spy(monkeypatch)
    assert sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-02") == 4
    names = [p.relative_to(folder).as_posix() for p in reads]
    # every file read once to judge it; only those with an erased cell read again to rewrite
    assert sorted(names) == sorted([
        "crm/champions.added.csv", "crm/champions.csv", "crm/win_back.csv", "google_ads/champions.csv",
        "lake/win_back.parquet", "crm/champions.added.csv", "crm/champions.csv",
        "google_ads/champions.csv", "lake/win_back.parquet",
    ])  # fmt: skip
    assert (folder / "crm/champions.csv").read_bytes().decode() == CRM.replace(
        "ravi.kumar@example.in,Ravi,Champions\r\n", ""
    )
    assert (folder / "crm/champions.added.csv").read_bytes().decode() == "email,first_name,segment\r\n"
    assert GONE_HASH not in (folder / "google_ads/champions.csv").read_bytes().decode()
    assert_frame_equal(pl.read_parquet(folder / "lake/win_back.parquet"), LAKE.filter(pl.col("n") != 2))
    assert (folder / "crm/win_back.csv").read_bytes().decode() == UNTOUCHED
    assert (folder / "crm/win_back.csv").stat().st_mtime_ns == untouched
    _manifest_is_true(folder)


def test_identical_files_are_read_once_and_rewritten_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "2024-03-01")
    # a first export: its `.added` is its full list, byte for byte; a same-sized file differs
    (folder / "crm/champions.added.csv").write_bytes(CRM.encode())
    twin = CRM.replace("Eve", "Eva").encode()
    (folder / "crm/win_back.added.csv").write_bytes(twin)
    body = json.loads((folder / "manifest.json").read_text())
    files = body["segments"]["all"]["destinations"]["every"]["files"]
    files["crm/champions.added.csv"] = hashlib.sha256(CRM.encode()).hexdigest()
    files["crm/win_back.added.csv"] = hashlib.sha256(twin).hexdigest()
    (folder / "manifest.json").write_text(json.dumps(body), encoding="utf-8")
    reads = _spy(monkeypatch)
    assert sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-02") == 5  # two copies, the twin, ads, lake
    names = [p.relative_to(folder).as_posix() for p in reads]
    assert names.count("crm/champions.csv") + names.count("crm/champions.added.csv") == 2  # judge, rewrite
    assert names.count("crm/win_back.added.csv") == 2  # same size, other bytes: a file of its own
    without = CRM.replace("ravi.kumar@example.in,Ravi,Champions\r\n", "")
    assert (folder / "crm/champions.csv").read_bytes().decode() == without
    assert (folder / "crm/champions.added.csv").read_bytes().decode() == without
    assert (folder / "crm/win_back.added.csv").read_bytes() == twin.replace(
        b"ravi.kumar@example.in,Ravi,Champions\r\n", b""
    )
    _manifest_is_true(folder)


def test_a_later_folder_is_judged_from_what_earlier_folders_taught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scrubbers: list[scrub.Scrubber] = []
    real = scrub.Scrubber

    class Kept(real):  # type: ignore[misc,valid-type]
        def __init__(self, forbidden: frozenset[str], digests: frozenset[str]) -> None:
            super().__init__(forbidden, digests)
            scrubbers.append(self)

    monkeypatch.setattr(erasure, "Scrubber", Kept)
    _folder(tmp_path, "2024-03-01")
    assert sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-02") == 4
    alone = scrubbers.pop().judged
    for day in ("2024-03-01", "2024-03-02", "2024-03-03"):
        _folder(tmp_path, day)
    assert sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-04") == 12
    (scrubber,) = scrubbers
    assert scrubber.judged == alone  # three identical folders: each text judged once
    for day in ("2024-03-01", "2024-03-02", "2024-03-03"):
        _manifest_is_true(tmp_path / day)


def test_a_file_failing_after_others_were_rewritten_stops_the_export_with_a_true_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _folder(tmp_path, "2024-03-01")
    # the parquet file reads once (judged), then fails when it is read again to be rewritten
    _spy(monkeypatch, fail=lambda path, n: path.suffix == ".parquet" and n == 2)
    with pytest.raises(SweepFailed, match=r"^export refused: cannot sweep erased people from .*2024-03-01: "):
        sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-02")
    assert GONE not in (folder / "crm/champions.csv").read_bytes().decode()  # rewritten before it
    assert "c0002" in pl.read_parquet(folder / "lake/win_back.parquet")["customer_id"].to_list()
    _manifest_is_true(folder)
    monkeypatch.undo()
    assert sweep(_ledger(), tmp_path, FORBIDDEN, today="2024-03-02") == 1  # the rest on the next run
    _manifest_is_true(folder)
