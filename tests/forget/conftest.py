"""A hand-written RAPPORT_HOME with one erased person (two accounts) and one kept."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.settings import get_settings


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


EMAIL = "Anna.Smith@Example.com"


def warehouse_at(home: Path, monkeypatch: pytest.MonkeyPatch, sql: str) -> None:
    """RAPPORT_HOME = `home`, its warehouse with the raw/intermediate/exports schemas and a
    raw.customers table, then `sql` (the hand-written rows and tables of one case)."""
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    get_settings.cache_clear()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "create schema raw; create schema intermediate; create schema exports;"
            " create table raw.customers (customer_id varchar, email varchar, first_name varchar,"
            "  last_name varchar, phone varchar, country varchar, _source_file varchar);" + sql
        )


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    warehouse_at(
        tmp_path,
        monkeypatch,
        " insert into raw.customers values"
        f"  ('C1', ' {EMAIL}', 'Anna', 'Smith', '+91 98765 43210', 'IN', 'a.csv'),"
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
        "  customer_id varchar, email_key varchar, phone_key varchar, named_by_request boolean);"
        " insert into intermediate.int_customers_erased values"
        "  ('C1', 'C1', 'anna.smith@example.com', '+919876543210', true),"
        "  ('C7', 'C1', 'anna.smith@example.com', null, true);"
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
        f'  (null, \'{{"Email": "{sha("anna.smith@example.com")}"}}\')',
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
