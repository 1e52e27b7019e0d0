"""An erased person whose later rows arrive under a form their erasure request did not name.

Day 1: the shop below is built, the erasure list names five people each by one form, and
`forget_erased` (the DAG's last step) removes them from the warehouse: their customers rows
go, their orders lose the id. Day 2: new rows land for each of them under another form (their
old id on an order with no customers row; a new account with their email or their phone) and
dbt builds again, then publish copies the marts to serving. Nothing of theirs may come back:
the warehouse no longer holds the link between the form the request named and the new row,
only the keyed hashes forget remembered (exports.erased), so int_customers_erased must know
them by those. Kiran and KX2 are never erased and stay as they were.

One day-2 build. The checks are explicit values of this hand-written shop: who int_customers_erased
lists, which people the marts hold (K1, KX2 and nobody else), the kept people's rows to the cent,
revenue reconciled. Without the remembered hashes the erasure list alone misses C1, C2, C8 and C9
(C1/C2's later orders carry an id the request never named, C8/C9 are new accounts). Tried by
dropping `remembered` from int_customers_erased: the day-2 build fails its unit test, and with
data tests off the listed set and the scans fail (DECISIONLOG "Taking work out of the test suite").
A second "blind" build without the hashes used to show that gap; it cost a whole dbt build.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest
from rapport_dbt import Run, built, erasure_case, insert_rows

from pipelines.settings import get_settings
from pipelines.warehouse import connect

DAY1, DAY2 = "2024-07-01", "2024-07-02"
KEY = "test erasure key, from the environment as in production"


def _customer(cid: str, email: str | None, phone: str | None, name: str, day: str = "2023-01-10") -> dict:
    return {
        "customer_id": cid, "email": email, "phone": phone, "first_name": name, "last_name": "Testcase",
        "signed_up_at": f"{day} 10:00:00", "country": "IN", "marketing_consent": True,
        "acquisition_channel": "search", "updated_at": f"{day} 10:00:00",
        "_source_file": f"customers/date={day}/{cid}.csv",
    }  # fmt: skip


def _order(oid: str, cid: str, at: str, amount: str) -> dict:
    return {
        "order_id": oid, "customer_id": cid, "ordered_at": at, "amount": amount, "status": "delivered",
        "updated_at": at, "currency": "INR", "_source_file": f"orders/date={at[:10]}/{oid}.csv",
    }  # fmt: skip


# (who, erased by, their day-1 customers row or None (order-only), day-2 rows under another form)
CASES: list[dict[str, Any]] = [
    {"who": "email only, old id on a later order", "id": "C1",
     "customer": _customer("C1", "asha.rao@example.com", "+91 98765 43210", "Ashaunique"),
     "erasure": {"email": " ASHA.Rao@Example.com\u00a0"},
     "later": {"orders": [_order("O11", "C1", "2024-07-01 09:00:00", "11.00")]}},
    {"who": "phone only, old id on a later order", "id": "C2",
     "customer": _customer("C2", "bala@example.com", "+91 90000 00002", "Balaunique"),
     "erasure": {"phone": "0091 90000 00002"},
     "later": {"orders": [_order("O12", "C2", "2024-07-01 09:00:00", "12.00")]}},
    {"who": "id only (order-only account), same id later", "id": "X3", "customer": None,
     "erasure": {"customer_id": " X3 "},
     "later": {"orders": [_order("O13", "X3", "2024-07-01 09:00:00", "13.00")]}},
    {"who": "id only, a new account with their email", "id": "C4",
     "customer": _customer("C4", "chitra@gmail.com", None, "Chitraunique"),
     "erasure": {"customer_id": "C4"},
     "later": {"customers": [_customer("C8", "Chi.tra+x@googlemail.com", None, "Chitraunique", "2024-07-01")],
               "orders": [_order("O14", "C8", "2024-07-01 09:00:00", "14.00")]}},
    {"who": "email only, a new account with their phone", "id": "C5",
     "customer": _customer("C5", "dev@example.com", "+91 90000 00005", "Devunique"),
     "erasure": {"email": "dev@example.com"},
     "later": {"customers": [_customer("C9", None, "+91-90000-00005", "Devunique", "2024-07-01")],
               "orders": [_order("O15", "C9", "2024-07-01 09:00:00", "15.00")]}},
]  # fmt: skip
ERASED = {c["id"] for c in CASES} | {"C8", "C9"}
NAMES = ("ashaunique", "balaunique", "chitraunique", "devunique", "asha.rao", "chitra", "dev@")
KEPT = {"K1", "KX2"}
DAY1_ROWS: dict[str, list[dict]] = {
    "customers": [c["customer"] for c in CASES if c["customer"]]
    + [_customer("K1", "kiran@example.com", "+91 90000 00009", "Kiran")],
    "orders": [_order(f"O{n}", c["id"], "2024-03-01 12:00:00", f"{n}0.50") for n, c in enumerate(CASES, 1)]
    + [_order("O6", "K1", "2024-04-01 12:00:00", "60.00"),
       _order("O7", "KX2", "2024-05-01 12:00:00", "70.25")],
    "erasures": [
        {"email": None, "customer_id": None, "phone": None, **c["erasure"], "requested_at": "2024-06-30",
         "_source_file": f"erasures/date=2024-06-30/{n}.csv"}
        for n, c in enumerate(CASES)
    ],
}  # fmt: skip
DAY2_ROWS: dict[str, list[dict]] = {
    "customers": [r for c in CASES for r in c["later"].get("customers", [])],
    "orders": [r for c in CASES for r in c["later"].get("orders", [])]
    + [_order("O16", "K1", "2024-07-01 10:00:00", "16.00"),
       _order("O17", "KX2", "2024-07-01 11:00:00", "17.00")],
}  # fmt: skip
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    home = tmp_path_factory.mktemp("erasure_memory")
    with erasure_case(home, KEY, DAY1_ROWS) as warehouse:
        # what forget reads of day 1's build (the marts would only cost time here)
        built(home, warehouse, DAY1, "--select", "+int_customers_erased", "+int_customer_phones", *NO_TESTS)
        from pipelines.forget import forget_erased

        forgotten = forget_erased(get_settings(), "day1")
        assert forgotten.people == 5  # C1, C2, X3, C4, C5 (C8, C9 not there yet)
        with connect(warehouse) as con:
            insert_rows(con, DAY2_ROWS)
        runs = {"day2": built(home, warehouse, DAY2)}
        from pipelines.serve import publish

        publish(warehouse, home / "serving", date.fromisoformat(DAY2), "day2")
        runs["serving"] = Run(home / "serving", 0, "")
    return runs


def _naming(value: str, ids: set[str], names: tuple[str, ...]) -> bool:
    """Whether a text cell names one of `ids` (alone or in a `|` list) or contains one of `names`."""
    return bool(set(value.split("|")) & ids) or any(n in value.lower() for n in names)


def _hits(
    cells: list[tuple[str, str, str]], ids: set[str] = ERASED, names: tuple[str, ...] = NAMES
) -> list[str]:
    """The values of the text cells (Run.text_cells: marts, segments) naming one of these people."""
    return [value for _, _, value in cells if _naming(value, ids, names)]


# The kept people's rows, worked out by hand from DAY1_ROWS and DAY2_ROWS (as of DAY2: every
# order counts): K1 60.00 on 2024-04-01 and 16.00 on 2024-07-01; KX2, an order-only account,
# 70.25 on 2024-05-01 and 17.00 on 2024-07-01. Scores ranked over the whole population (RFM
# quintiles, the top-20% flag) are left out: the erased people left that population.
D = Decimal
T = datetime
K1_ORDERS = (T(2024, 4, 1, 12), T(2024, 7, 1, 10))
KX2_ORDERS = (T(2024, 5, 1, 12), T(2024, 7, 1, 11))
KEPT_ROWS: dict[str, tuple[str, list[tuple[Any, ...]]]] = {
    # id, ids, email, first, last, phone, E.164, birthday, country, postal code, channel, signed up,
    # first/last order, orders, items, gross sales, discounts, returns, refunds, net sales, net
    # revenue, AOV (87.25 / 2 rounds up), days between orders, tenure (from sign-up, else the first
    # order, to DAY2), e-mail sends/opens/clicks, rates, last engaged, sessions, tickets, minutes,
    # NPS, NPS class, referrals made/converted, consent, unsubscribed
    "customers": ("* exclude (is_top_20pct_revenue)", [
        ("K1", "K1", "kiran@example.com", "Kiran", "Testcase", "+91 90000 00009", "+919000000009", None,
         "IN", None, "search", T(2023, 1, 10, 10), *K1_ORDERS, 2, 0, D("76.00"), D("0.00"), 0, D("0.00"),
         D("76.00"), D("76.00"), D("38.00"), 91.0, 539, 0, 0, 0, None, None, None, 0, 0, 0, None, None,
         0, 0, True, None),
        ("KX2", "KX2", None, None, None, None, None, None, None, None, None, None, *KX2_ORDERS, 2, 0,
         D("87.25"), D("0.00"), 0, D("0.00"), D("87.25"), D("87.25"), D("43.63"), 61.0, 62, 0, 0, 0, None,
         None, None, 0, 0, 0, None, None, 0, 0, False, None),
    ]),
    # id, stage, win-back, first/last order, orders, recency, usual gap, last gap, contribution
    # (net sales less the default 50% cost of goods, per order: 35.125 + 8.50 -> 43.62), as of
    "customer_lifecycle": ("*", [
        ("K1", "active", False, *K1_ORDERS, 2, 1, 91.0, 91, D("38.00"), date(2024, 7, 2)),
        ("KX2", "active", False, *KX2_ORDERS, 2, 1, 61.0, 61, D("43.62"), date(2024, 7, 2)),
    ]),
    # id, customer, source id, ordered, status, cancelled, currency, amount, discount, shipping,
    # shipping cost, refunds, net revenue, delivered, updated (ordered by id as text)
    "orders": ("*", [
        ("O16", "K1", "K1", K1_ORDERS[1], "delivered", False, "INR", D("16.00"), None, None, None,
         D("0.00"), D("16.00"), None, K1_ORDERS[1]),
        ("O17", "KX2", "KX2", KX2_ORDERS[1], "delivered", False, "INR", D("17.00"), None, None, None,
         D("0.00"), D("17.00"), None, KX2_ORDERS[1]),
        ("O6", "K1", "K1", K1_ORDERS[0], "delivered", False, "INR", D("60.00"), None, None, None,
         D("0.00"), D("60.00"), None, K1_ORDERS[0]),
        ("O7", "KX2", "KX2", KX2_ORDERS[0], "delivered", False, "INR", D("70.25"), None, None, None,
         D("0.00"), D("70.25"), None, KX2_ORDERS[0]),
    ]),
    "customer_rfm": ("customer_id, last_order_at, recency_days, frequency, monetary", [
        ("K1", K1_ORDERS[1], 1, 2, D("76.00")),
        ("KX2", KX2_ORDERS[1], 1, 2, D("87.25")),
    ]),
}  # fmt: skip


def test_nobody_erased_comes_back_under_another_form(days: dict[str, Run]) -> None:
    day2 = days["day2"]
    listed = {s for (s,) in day2.query("select source_customer_id from intermediate.int_customers_erased")}
    # C4 and C5 themselves are gone (forget deleted their rows); C8 and C9 are their new accounts.
    # C1, C2, C8 and C9 are linked to a request only by the hashes forget remembered.
    assert listed == ERASED - {"C4", "C5"}
    cells = day2.text_cells()
    assert _hits(cells) == []
    # the same scan finds the people who were not erased (it reads the marts' text cells)
    assert set(_hits(cells, KEPT, ("kiran",))) >= {"K1", "KX2", "kiran@example.com"}
    people = {c for (c,) in day2.query("select customer_id from marts.customers")}
    assert people == KEPT
    # their later orders stay as anonymous revenue; revenue reconciles to the cent
    anonymous = day2.query("select order_id from marts.orders where customer_id is null order by 1")
    assert {o for (o,) in anonymous} == {"O1", "O2", "O3", "O4", "O5", "O11", "O12", "O13", "O14", "O15"}
    [(people_sum, anon, total)] = day2.query(
        "select (select sum(net_revenue) from marts.customers),"
        " (select sum(net_revenue) from marts.orders where customer_id is null),"
        " (select sum(net_revenue) from marts.orders)"
    )
    landed = sum(Decimal(o["amount"]) for o in DAY1_ROWS["orders"] + DAY2_ROWS["orders"])
    assert people_sum + anon == total == landed
    assert people_sum == Decimal("76.00") + Decimal("87.25")


@pytest.mark.parametrize("table", sorted(KEPT_ROWS))
def test_people_never_erased_are_unchanged(days: dict[str, Run], table: str) -> None:
    """Their own figures, every column but the population-ranked ones, as their rows say."""
    columns, expected = KEPT_ROWS[table]
    query = f"select {columns} from marts.{table} where customer_id in ('K1', 'KX2') order by all"
    assert days["day2"].query(query) == expected


def test_the_serving_copy_leaves_them_out(days: dict[str, Run]) -> None:
    files = sorted(str(p) for p in days["serving"].warehouse.glob("versions/*/**/*.parquet"))
    assert any(p.endswith("customers.parquet") for p in files), files
    con = duckdb.connect()
    cells = []
    for path in files:
        described = con.execute(f"describe select * from '{path}'").fetchall()
        for column in (c for (c, kind, *_) in described if kind == "VARCHAR"):
            query = f'select distinct "{column}" from \'{path}\' where "{column}" is not null'
            cells += [(Path(path).name, column, value) for (value,) in con.execute(query).fetchall()]
    assert [cell for cell in cells if _naming(cell[2], ERASED, NAMES)] == []
    # and the scan reads the people who are there: the kept ones, by id and by email
    kept = {value for _, _, value in cells if _naming(value, KEPT, ("kiran",))}
    assert kept >= {"K1", "KX2", "kiran@example.com"}
