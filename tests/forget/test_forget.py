"""forget_erased on a hand-written home: raw rows, cells, files, Parquet, free blocks."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.forget import forget_erased
from pipelines.settings import Settings, get_settings

EMAIL = "Anna.Smith@Example.com"


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    get_settings.cache_clear()
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as con:
        con.execute(
            "create schema raw; create schema intermediate; create schema exports;"
            " create table raw.customers (customer_id varchar, email varchar, first_name varchar,"
            "  last_name varchar, phone varchar, country varchar, _source_file varchar);"
            f" insert into raw.customers values ('C1', ' {EMAIL}', 'Anna', 'Smith', '+91 98765 43210', 'IN',"
            "  'a.csv'),"
            "  ('C7', 'anna.smith@example.com', 'Anna', 'Smith', null, 'IN', 'b.csv'),"
            "  ('C2', 'ravi@example.com', 'Ravi', 'Rao', '+91 90000 00001', 'IN', 'a.csv');"
            " create table raw.orders (order_id varchar, customer_id varchar, amount decimal(18,2));"
            " insert into raw.orders values ('O1', 'C1', 100.50), ('O2', 'C7', 20.00), ('O3', 'C2', 5.25),"
            "  ('O4', 'C10', 1.00);"  # C10: another customer whose id starts like C1
            " create table raw._quarantine"
            "  (entity varchar, source_line bigint, value varchar, reason varchar);"
            f" insert into raw._quarantine values ('customers', 3, '{EMAIL.upper()}', 'bad birthday'),"
            "  ('orders', 9, 'abc', 'bad amount');"
            " create table raw.erasures (email varchar, customer_id varchar, phone varchar);"
            " insert into raw.erasures values ('anna.smith@example.com', null, null);"
            " create table intermediate.int_customers_erased (source_customer_id varchar,"
            "  customer_id varchar, email_key varchar, phone_key varchar);"
            " insert into intermediate.int_customers_erased values"
            "  ('C1', 'C1', 'anna.smith@example.com', '+919876543210'),"
            "  ('C7', 'C1', 'anna.smith@example.com', null);"
            " create table intermediate.int_phone_numbers (phone varchar, country varchar,"
            "  phone_e164 varchar, parsed_with varchar);"
            " insert into intermediate.int_phone_numbers values"
            "  ('+91 98765 43210', 'IN', '+919876543210', '9'),"
            "  ('+91 90000 00001', 'IN', '+919000000001', '9');"
            " create table exports.email_checks (address varchar, validator varchar, valid boolean);"
            " insert into exports.email_checks values ('anna.smith@example.com', 'v', true),"
            "  ('ravi@example.com', 'v', true);"
            " create table exports.members (customer_id varchar, record varchar);"
            f" insert into exports.members values ('C2', '{{\"Email\": \"{sha('ravi@example.com')}\"}}'),"
            f'  (null, \'{{"Email": "{sha("anna.smith@example.com")}"}}\')'
        )
    (tmp_path / "quality").mkdir()
    (tmp_path / "quality" / "report.html").write_text(
        f"<td>{EMAIL}</td><td>C1</td><td>C10</td><td>+919876543210</td><td>ravi@example.com</td>"
    )
    (tmp_path / "airflow.db").write_bytes(
        b"SQLite format 3\0" + b"x" * 10 + b"C1|anna.smith@example.com|" + b"\0" * 8
    )
    pl.DataFrame({"customer_id": ["C1", "C2"], "n": [1, 2]}).write_parquet(tmp_path / "history.parquet")
    (tmp_path / "landing").mkdir()
    (tmp_path / "landing" / "customers.csv").write_text(f"customer_id,email\nC1,{EMAIL}\n")
    yield tmp_path
    get_settings.cache_clear()


def test_the_erased_leave_raw_tables_files_and_free_blocks_and_money_stays(home: Path) -> None:
    settings = Settings(home=home)
    done = forget_erased(settings, "run_1")
    assert done.people == 2 and done.rewrite_seconds >= 0
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
