"""A kept checksum is used only for a file whose stat is unchanged (checksums.py)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

import pipelines.load.discover as discover_module
from pipelines.load.checksums import discover_remembering
from tests.load.support import write

NAME = "orders/date=2024-01-01/part.csv"


def _kept(warehouse: Path) -> dict[str, list[object]]:
    return json.loads(warehouse.with_name(warehouse.name + ".landing-checksums.json").read_text())


def _checksums(warehouse: Path, landing: Path) -> dict[str, str]:
    return {f.source_file: f.checksum for f in discover_remembering(warehouse, landing).files}


def test_an_unchanged_file_is_not_read_again_a_changed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(discover_module, "RACY_SECONDS", 0)
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write(landing, NAME, "order_id\no1\n")
    assert _checksums(warehouse, landing) == {NAME: hashlib.sha256(b"order_id\no1\n").hexdigest()}
    kept = _kept(warehouse)
    kept[NAME][4] = "kept"  # what an unread file's checksum is now taken from
    warehouse.with_name(warehouse.name + ".landing-checksums.json").write_text(json.dumps(kept))
    assert _checksums(warehouse, landing) == {NAME: "kept"}
    write(landing, NAME, "order_id\no2\n")  # same size, new bytes: its ctime and mtime moved
    os.utime(landing / NAME, ns=(0, 10**9))  # (a clock tick apart from the first write, surely)
    assert _checksums(warehouse, landing) == {NAME: hashlib.sha256(b"order_id\no2\n").hexdigest()}


def test_a_file_written_just_now_is_hashed_and_not_kept(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write(landing, NAME, "order_id\no1\n")
    assert _checksums(warehouse, landing) == {NAME: hashlib.sha256(b"order_id\no1\n").hexdigest()}
    assert _kept(warehouse) == {}  # it may be written to still: its stat proves nothing yet


def test_an_unreadable_kept_file_means_hashing_everything(tmp_path: Path) -> None:
    landing, warehouse = tmp_path / "landing", tmp_path / "w.duckdb"
    write(landing, NAME, "order_id\no1\n")
    warehouse.with_name(warehouse.name + ".landing-checksums.json").write_text("{not json")
    assert _checksums(warehouse, landing) == {NAME: hashlib.sha256(b"order_id\no1\n").hexdigest()}
