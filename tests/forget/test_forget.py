"""forget_erased on a hand-written home: raw rows, cells, files, Parquet, free blocks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.forget import forget_erased
from pipelines.settings import Settings


def test_the_erased_leave_raw_tables_files_and_free_blocks_and_money_stays(home: Path) -> None:
    settings = Settings(home=home)
    done = forget_erased(settings, "run_1")
    assert done.people == 2 and done.rewrite_seconds is not None
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id from raw.customers").fetchall() == [("C2",)]
        orders = con.execute("select order_id, customer_id, amount from raw.orders order by 1").fetchall()
        assert [(o, c) for o, c, _ in orders] == [("O1", None), ("O2", None), ("O3", "C2"), ("O4", "C10")]
        assert sum(a for *_, a in orders) == pytest.approx(126.75)  # money kept, to the cent
        quarantine = con.execute(
            "select source_line, value, reason from raw._quarantine order by 1"
        ).fetchall()
        assert quarantine == [(3, None, "bad birthday"), (9, "abc", "bad amount")]  # still counted
        assert con.execute("select count(*) from intermediate.int_customers_erased").fetchall() == [(0,)]
        # the phone cache holds the number as written: the pair goes, Ravi's stays
        cached = con.execute("select phone from intermediate.int_phone_numbers").fetchall()
        assert cached == [("+91 90000 00001",)]
        # the export's e-mail verdict cache holds the address: the row goes, Ravi's stays
        checked = con.execute("select address from exports.email_checks").fetchall()
        assert checked == [("ravi@example.com",)]
        members = con.execute("select customer_id, record from exports.members").fetchall()
        # the export ledger keeps the erasure day's baseline (a rerun of that day sends the same
        # removals) and forgets it at the next export (tests/e2e/test_export_destinations.py)
        assert len(members) == 2 and members[0][0] == "C2"
        assert con.execute("select * from raw.erasures").fetchall() == [
            ("anna.smith@example.com", None, None)
        ]
        erased_rows = con.execute("select entity, source_file, rows_erased from raw._erased_rows order by 2")
        assert erased_rows.fetchall() == [("customers", "a.csv", 1), ("customers", "b.csv", 1)]
    # no deleted byte left in a free block: the name and phone as written, the email as written
    # (the erasure list holds only its lower-case form, and its statistics a prefix of it)
    data = (home / "warehouse.duckdb").read_bytes()
    assert b"Smith" not in data and b"98765" not in data and b"Anna.Smith" not in data
    report = (home / "quality" / "report.html").read_text()
    assert "anna" not in report.lower() and "+919876543210" not in report and "<td>C1</td>" not in report
    assert "<td>C10</td>" in report and "ravi@example.com" in report  # nobody else touched
    db = (home / "airflow.db").read_bytes()
    assert b"anna" not in db and len(db) == 16 + 10 + 26 + 8  # same length in a binary file
    assert pl.read_parquet(home / "history.parquet")["customer_id"].to_list() == ["C2"]
    assert "Anna.Smith" in (home / "landing" / "customers.csv").read_text()  # the drop zone is untouched


def test_a_run_with_nobody_erased_changes_nothing(home: Path) -> None:
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("delete from intermediate.int_customers_erased")
    before = (home / "warehouse.duckdb").stat().st_mtime_ns
    assert forget_erased(Settings(home=home), "run_2").lines() == ["forget: nobody to erase"]
    assert (home / "warehouse.duckdb").stat().st_mtime_ns == before
    assert "Anna" in (home / "quality" / "report.html").read_text()
