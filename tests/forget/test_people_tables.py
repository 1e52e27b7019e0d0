"""A people table loses the erased people's rows, not the rows of others who share a phone.

Asha (A1) is erased. Bala (B1) is not: int_customers_erased does not list him (his phone is
written in another form than hers, so no identity key links them; the 1M shop has thousands of
such accounts, DECISIONLOG i22privacy), but his phone cell holds a form of hers. He keeps his
account, orders and opt-out, without that phone; she is gone everywhere. On main his customers
row, his phone row and his withheld opt-out were deleted, so his later orders were orphans.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.forget import forget_erased
from pipelines.settings import Settings, get_settings
from tests.forget.conftest import warehouse_at
from tests.forget.test_incremental import LEDGER, load

ASHA = "('A1', 'A1', 'asha@example.com', null, true)"  # her account as int_customers_erased lists it
ASHA_PHONE, BALA_PHONE = "98765 43210", "+919876543210"  # the same number: hers national, his E.164


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    warehouse_at(
        tmp_path,
        monkeypatch,
        " insert into raw.customers values"
        f"  ('A1', 'asha@example.com', 'Asha', 'Iyer', '{ASHA_PHONE}', 'IN', 'a.csv'),"
        f"  ('B1', 'bala@example.com', 'Bala', 'Nair', '{BALA_PHONE}', 'IN', 'a.csv'),"
        "  (' A2 ', 'asha.second@example.com', 'Asha', 'Iyer', null, 'IN', 'b.csv');"
        " create table raw.orders (order_id varchar, customer_id varchar, amount decimal(18,2));"
        " insert into raw.orders values ('O1', 'A1', 10.00), ('O2', 'B1', 20.00);"
        " create table raw.erasures (email varchar, customer_id varchar, phone varchar);"
        " insert into raw.erasures values (null, 'A1', null);"
        " create table raw._withheld_opt_outs (customer_id varchar, email varchar, phone varchar,"
        "  source_file varchar, source_line bigint);"
        " insert into raw._withheld_opt_outs values"
        f"  ('A1', 'asha@example.com', '{ASHA_PHONE}', 'a.csv', 1),"
        f"  ('B9', 'bala.old@example.com', '{BALA_PHONE}', 'a.csv', 2);"
        " create table intermediate.int_customers_erased (source_customer_id varchar,"
        "  customer_id varchar, email_key varchar, phone_key varchar, named_by_request boolean);"
        " insert into intermediate.int_customers_erased values"
        f"  {ASHA},"
        "  ('A2', 'A1', 'asha.second@example.com', null, true);"
        " create table intermediate.int_customer_phones (customer_id varchar, phone_e164 varchar);"
        " insert into intermediate.int_customer_phones values"
        f"  ('A1', '{BALA_PHONE}'), ('B1', '{BALA_PHONE}');"
        " create table intermediate.int_phone_numbers (phone varchar, country varchar,"
        "  phone_e164 varchar, parsed_with varchar);"
        " insert into intermediate.int_phone_numbers values"
        f"  ('{ASHA_PHONE}', 'IN', '{BALA_PHONE}', 'p'), ('{BALA_PHONE}', 'IN', '{BALA_PHONE}', 'p'),"
        "  ('+91 90000 00001', 'IN', '+919000000001', 'p');",
    )
    yield tmp_path
    get_settings.cache_clear()


def test_who_shares_an_erased_phone_keeps_the_account_without_it(home: Path) -> None:
    assert forget_erased(Settings(home=home), "run_1").people == 2
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        # her accounts go (' A2 ': an id as written, matched by its id key); his stays, phone nulled
        customers = con.execute("select customer_id, email, first_name, phone from raw.customers").fetchall()
        assert customers == [("B1", "bala@example.com", "Bala", None)]
        orders = con.execute("select order_id, customer_id, amount from raw.orders order by 1").fetchall()
        assert [(o, c) for o, c, _ in orders] == [("O1", None), ("O2", "B1")]
        # the phone row of a person: his stays without the number
        phones = con.execute("select customer_id, phone_e164 from intermediate.int_customer_phones")
        assert phones.fetchall() == [("B1", None)]
        # a do-not-contact row of someone else is never lost: it keeps the id and email it names
        withheld = con.execute("select customer_id, email, phone from raw._withheld_opt_outs").fetchall()
        assert withheld == [("B9", "bala.old@example.com", None)]
        # the phone cache is keyed by the number as written: every pair holding her number goes
        cached = con.execute("select phone from intermediate.int_phone_numbers").fetchall()
        assert cached == [("+91 90000 00001",)]
        assert con.execute("select count(*) from intermediate.int_customers_erased").fetchall() == [(0,)]
        # the rows of the erased are counted per file; the nulled cells of others are not rows erased
        erased_rows = con.execute("select entity, source_file, rows_erased from raw._erased_rows order by 2")
        assert erased_rows.fetchall() == [("customers", "a.csv", 1), ("customers", "b.csv", 1)]
    data = (home / "warehouse.duckdb").read_bytes()
    assert b"9876543210" not in data and b"asha" not in data.lower()


def test_a_reloaded_file_with_both_rows_loses_hers_and_his_copy_of_her_phone(home: Path) -> None:
    """The landing file holding both is reloaded (a new ledger row): dbt lists her again (the
    erasure list still names her), her forms are computed from her row again and looked for in
    the new file's rows. Only from a row of hers: his row alone in a new file keeps the number
    (DECISIONLOG, i22privacy; on main as here)."""
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(LEDGER)
        load(con, "a.csv", "2026-07-01 01:00:00")
        load(con, "b.csv", "2026-07-01 01:00:00")
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "insert into raw.customers values ('A1', 'asha@example.com', 'Asha', 'Iyer', ?, 'IN', 'c.csv'),"
            " ('B1', 'bala@example.com', 'Bala', 'Nair', ?, 'IN', 'c.csv')",
            [ASHA_PHONE, BALA_PHONE],
        )
        load(con, "c.csv", "2026-07-02 01:00:00")
        con.execute(f"insert into intermediate.int_customers_erased values {ASHA}")
    forget_erased(Settings(home=home), "run_2")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        customers = con.execute(
            "select customer_id, email, phone, _source_file from raw.customers order by 4"
        )
        assert customers.fetchall() == [
            ("B1", "bala@example.com", None, "a.csv"),
            ("B1", "bala@example.com", None, "c.csv"),
        ]
        erased = con.execute(
            "select entity, source_file, rows_erased from raw._erased_rows where run_id = 'run_2'"
        )
        assert erased.fetchall() == [("customers", "c.csv", 1)]
