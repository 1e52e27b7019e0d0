"""Someone who is not erased keeps their account when they share an erased person's phone.

Rita (R1) asks to be erased. Sam (S1, and S1B: one email, one person) shares her phone, so he is
erased with her (one hop, tests/dbt/test_erasure_one_hop.py); his second account's phone
+919000000003 is a form forget removes. Tom (T1) wrote that same number: two hops from Rita, so
not erased. On main forget deleted his customers row (the people-table rule deleted any row
holding a form), so the next day he was an order-only person without email or name, and his
new order was an orphan to the loader: at 1M, 2,675 accounts on day 1 (DECISIONLOG, i22privacy).
Now he keeps his account, email, consent and orders, without the phone; Rita and Sam are gone.
"""

from __future__ import annotations

import pytest
from rapport_dbt import built, case_rows, customer_row, erasure_case, insert_rows, order_row

from pipelines.settings import get_settings
from pipelines.warehouse import connect

DAY1, DAY2 = "2024-07-01", "2024-07-02"
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


CUSTOMERS = [
    customer_row("R1", "rita@example.com", "+91 90000 00001"),
    customer_row("S1", "sam@example.com", "0091 90000-00001"),  # Rita's phone
    customer_row("S1B", "Sam@Example.com", "+919000000003"),  # Sam's second account
    customer_row("T1", "tom@example.com", "+919000000003"),  # S1B's phone, as written there
    customer_row("K1", "kiran@example.com", "+91 90000 00009"),
]
DAY1_ROWS = case_rows(CUSTOMERS, "R1")
DAY2_ROWS: dict[str, list[dict]] = {"orders": [order_row("O11", "T1", "2024-07-01 09:00:00")]}
PEOPLE = "select customer_id, email, phone, orders, has_marketing_consent from marts.customers order by 1"


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("erasure_shared_phone")
    got: dict[str, object] = {}
    with erasure_case(home, "test erasure key for a shared phone", DAY1_ROWS) as warehouse:
        day1 = built(home, warehouse, DAY1, *NO_TESTS)
        erased = "select source_customer_id from intermediate.int_customers_erased"
        got["day1_erased"] = {s for (s,) in day1.query(erased)}
        from pipelines.forget import forget_erased

        forget_erased(get_settings(), "day1")
        with connect(warehouse) as con:
            raw = con.execute("select customer_id, email, phone from raw.customers order by 1")
            got["raw"] = raw.fetchall()
            got["orders"] = con.execute("select order_id, customer_id from raw.orders").fetchall()
            insert_rows(con, DAY2_ROWS)
        day2 = built(home, warehouse, DAY2)
        got["day2_erased"] = {s for (s,) in day2.query(erased)}
        got["day2_people"] = day2.query(PEOPLE)
        got["cells"] = day2.text_cells()
    return got


def test_the_account_sharing_a_hop_persons_phone_stays_without_it(days: dict) -> None:
    assert days["day1_erased"] == {"R1", "S1", "S1B"}  # one hop: Tom is not erased
    assert days["raw"] == [("K1", "kiran@example.com", "+91 90000 00009"), ("T1", "tom@example.com", None)]
    owners = dict(days["orders"])
    assert owners["O4"] == "T1" and owners["O5"] == "K1"
    assert {owners[o] for o in ("O1", "O2", "O3")} == {None}  # Rita's and Sam's: anonymous revenue


def test_the_next_day_he_is_a_customer_with_his_orders_and_consent(days: dict) -> None:
    assert days["day2_erased"] <= days["day1_erased"]
    # on main: T1 came back as an order-only person (no email), his customers row deleted
    assert days["day2_people"] == [
        ("K1", "kiran@example.com", "+91 90000 00009", 1, True),
        ("T1", "tom@example.com", None, 2, True),
    ]


def test_no_cell_of_the_marts_holds_the_erased_people_or_the_shared_phone(days: dict) -> None:
    gone = ("rita", "sam", "9000000001", "9000000003", "R1", "S1")
    assert not [cell for cell in days["cells"] if any(g.lower() in cell[2].lower() for g in gone)]
