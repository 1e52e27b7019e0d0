"""scripts/compare_builds.py: equal builds pass, a cent or a byte of difference fails."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "compare_builds.py"


def _run(*args: str) -> int:
    spec = importlib.util.spec_from_file_location("compare_builds", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv, sys.argv = sys.argv, ["compare_builds.py", *args]
    try:
        return int(module.main())
    finally:
        sys.argv = argv


def _build(home: Path, amount: str, at: str, csv: str = "a,b\n1,2\n") -> Path:
    home.mkdir(parents=True)
    warehouse = home / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema marts")
        con.execute(
            f"create table marts.orders as select 'O1' as order_id, {amount}::decimal(18, 4) as amount,"
            f" timestamp '{at}' as ordered_at, 0.1 + 0.2 as share"
        )
    (home / "exports").mkdir()
    (home / "exports" / "crm.csv").write_text(csv)
    out = home / "snap"
    assert _run("snapshot", "--warehouse", str(warehouse), "--exports", str(home / "exports"), str(out)) == 0
    return out


@pytest.mark.parametrize(
    ("amount", "at", "csv", "expected"),
    [
        ("10.0000", "2024-01-01 10:00:00", "a,b\n1,2\n", 0),
        ("10.0049", "2024-01-01 10:00:00.4", "a,b\n1,2\n", 0),  # same cent, same second
        ("10.0100", "2024-01-01 10:00:00", "a,b\n1,2\n", 1),  # a cent
        ("10.0000", "2024-01-01 10:00:01", "a,b\n1,2\n", 1),  # a second
        ("10.0000", "2024-01-01 10:00:00", "a,b\n1,2\r\n", 1),  # a byte of an export
    ],
)
def test_compare(tmp_path: Path, amount: str, at: str, csv: str, expected: int) -> None:
    before = _build(tmp_path / "before", "10.0000", "2024-01-01 10:00:00")
    after = _build(tmp_path / "after", amount, at, csv)
    assert _run("compare", str(before), str(after)) == expected


def test_a_missing_table_is_a_difference(tmp_path: Path) -> None:
    before = _build(tmp_path / "before", "10.0000", "2024-01-01 10:00:00")
    after = _build(tmp_path / "after", "10.0000", "2024-01-01 10:00:00")
    (after / "tables" / "marts.orders.parquet").unlink()
    assert _run("compare", str(before), str(after)) == 1
    assert _run("compare", str(after), str(before)) == 1
    assert _run("compare", str(after), str(before), "--allow-new") == 0
