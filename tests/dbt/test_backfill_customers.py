"""A backfill sees accounts as they stood on its as-of date (DECISIONLOG "as-of date semantics").

As of 2024-07-01, hand-written (each customer file holds one account's latest state, as a shop
that exports final rows does):
  K1 erin@  signed up 2023-08-01, landed only as updated 2024-07-10: it existed on the as-of date
  K2 erin@  signed up 2024-02-01, landed then (consent yes)      -> Erin = K1|K2 (K1 signed up first)
  K3 gus@   signed up 2024-07-05: did not exist yet, no account that day
Orders: P1 K1 2024-04-01 70.00, P2 K2 2024-05-01 30.00, P3 K3 2024-06-15 20.00 (a guest order
before the sign-up), P4 K3 2024-07-06 99.00 (after the as-of date).
  Erin 70.00 + 30.00 = 100.00; K3 is an order-only person on that day: 20.00. Total 120.00.
Erin's consent: K1's state on the as-of date is unknown (its one version is later), and K1 is her
most recently updated account, so she is not marketable in that backfill (privacy fails closed).
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rapport_dbt import Rows, Run, dbt, write_raw

AS_OF = "2024-07-01"
_CUSTOMERS = [
    ("K1", "erin@example.com", "Erin", "Later", "2023-08-01 10:00:00", True, "2024-07-10 09:00:00"),
    ("K2", "Erin@Example.com", "Erin", "Early", "2024-02-01 10:00:00", True, None),
    ("K3", "gus@example.com", "Gus", "Guest", "2024-07-05 10:00:00", True, None),
]
_ORDERS = [
    ("P1", "K1", "2024-04-01 10:00:00", "70.00"),
    ("P2", "K2", "2024-05-01 10:00:00", "30.00"),
    ("P3", "K3", "2024-06-15 10:00:00", "20.00"),
    ("P4", "K3", "2024-07-06 10:00:00", "99.00"),
]
ROWS: Rows = {
    "customers": [
        {"customer_id": c, "email": e, "first_name": f, "last_name": ln, "signed_up_at": s,
         "marketing_consent": m, "updated_at": u,
         "_source_file": f"customers/date={(u or s)[:10]}/part-{n:02d}.csv"}
        for n, (c, e, f, ln, s, m, u) in enumerate(_CUSTOMERS)
    ],
    "orders": [
        {"order_id": o, "customer_id": c, "ordered_at": t, "amount": a, "status": "delivered",
         "updated_at": t, "currency": "EUR", "_source_file": f"orders/date={t[:10]}/part-{n:02d}.csv"}
        for n, (o, c, t, a) in enumerate(_ORDERS)
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def backfill(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("backfill")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, ROWS)
    selected = "+customers +orders assert_net_revenue_reconciles_across_layers"
    options = ("--exclude-resource-type", "unit_test", "--indirect-selection", "cautious")
    proc = dbt(tmp, warehouse, "build", "--select", *selected.split(), *options, as_of=AS_OF)
    out, _ = proc.communicate(timeout=900)
    run = Run(warehouse, proc.returncode, out)
    assert run.returncode == 0, run.output[-6000:]
    return run


def test_an_account_that_existed_but_landed_only_later_is_still_its_person(backfill: Run) -> None:
    rows = backfill.query(
        "select customer_id, source_customer_ids, email, net_revenue, has_marketing_consent "
        "from marts.customers order by customer_id"
    )
    assert rows == [
        ("K1", "K1|K2", "erin@example.com", Decimal("100.00"), False),
        ("K3", "K3", None, Decimal("20.00"), False),  # no account yet: an order-only person
    ]


def test_revenue_reconciles_in_the_backfill(backfill: Run) -> None:
    [(orders, customers)] = backfill.query(
        "select (select sum(net_revenue) from marts.orders), (select sum(net_revenue) from marts.customers)"
    )
    assert orders == customers == Decimal("120.00")
    assert backfill.query("select order_id, customer_id from marts.orders order by 1") == [
        ("P1", "K1"), ("P2", "K1"), ("P3", "K3")
    ]  # fmt: skip


def test_the_unknown_account_and_the_later_order_are_not_in_the_backfill(backfill: Run) -> None:
    known = "select customer_id from intermediate.int_customers_as_of order by 1"
    assert backfill.query(known) == [("K1",), ("K2",)]
