"""A clean shop, made whole or in shards, is internally consistent: money reconciles, keys are
unique, references resolve."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pipelines.contract import EMAIL_EVENT_TYPES, ENTITIES, ORDER_STATUSES
from tests.generate.conftest import Shop

FOREIGN_KEYS = [
    ("orders", "customer_id", "customers", "customer_id"),
    ("order_lines", "order_id", "orders", "order_id"),
    ("order_lines", "product_id", "products", "product_id"),
    ("returns", "order_id", "orders", "order_id"),
    ("returns", "order_line_id", "order_lines", "order_line_id"),
    ("email_events", "customer_id", "customers", "customer_id"),
    ("support_tickets", "customer_id", "customers", "customer_id"),
    ("support_tickets", "order_id", "orders", "order_id"),
    ("web_sessions", "customer_id", "customers", "customer_id"),
    ("nps_responses", "customer_id", "customers", "customer_id"),
    ("referrals", "referrer_customer_id", "customers", "customer_id"),
    ("referrals", "referred_customer_id", "customers", "customer_id"),
]


def test_order_lines_sum_to_the_order_amount_to_the_cent(shop: Shop) -> None:
    mismatches = shop.one(
        """select count(*) from orders o full join (
             select order_id, sum(quantity * unit_price - line_discount) as total,
                    sum(line_discount) as discount
             from order_lines group by 1) l using (order_id)
           where l.total is distinct from o.amount or l.discount <> o.discount_amount""",
    )
    assert mismatches == 0


def test_refunds_never_exceed_the_returned_line(shop: Shop) -> None:
    bad = shop.one(
        """select count(*) from returns r join order_lines l using (order_line_id)
           where r.refund_amount > l.quantity * l.unit_price - l.line_discount
              or r.refund_amount < 0 or r.quantity > l.quantity or r.quantity < 1
              or r.order_id <> l.order_id""",
    )
    assert bad == 0
    assert shop.one("select count(distinct order_line_id) = count(*) from returns")


@pytest.mark.parametrize("name", [n for n in ENTITIES if n != "customers"])
def test_keys_are_unique(shop: Shop, name: str) -> None:
    key = ", ".join(ENTITIES[name].key)
    assert shop.one(f"select count(*) - count(distinct ({key})) from {name}") == 0


def test_an_order_lists_each_product_once(shop: Shop) -> None:
    duplicated = "select count(*) - count(distinct (order_id, product_id)) from order_lines"
    assert shop.one(duplicated) == 0


def test_customer_restatements_are_later_rows_of_known_customers(shop: Shop) -> None:
    assert shop.one("select count(*) - count(distinct (customer_id, updated_at)) from customers") == 0
    restated = """select count(*) from customers c join customers f
                  on c.customer_id = f.customer_id and f.updated_at = f.signed_up_at
                  where c.updated_at > c.signed_up_at"""
    assert shop.one(restated) > 0
    assert shop.one("select count(*) from customers where updated_at < signed_up_at") == 0
    assert (
        shop.one(
            "select count(*) from customers where unsubscribed_at is not null and marketing_consent",
        )
        == 0
    )


@pytest.mark.parametrize(("child", "column", "parent", "key"), FOREIGN_KEYS)
def test_foreign_keys_resolve(shop: Shop, child: str, column: str, parent: str, key: str) -> None:
    orphans = f"""select count(*) from {child} where {column} is not null
                  and {column} not in (select {key} from {parent})"""
    assert shop.one(orphans) == 0


def test_domains_and_lifecycle(shop: Shop) -> None:
    statuses = "', '".join(ORDER_STATUSES)
    events = "', '".join(EMAIL_EVENT_TYPES)
    checks = [
        f"select count(*) from orders where status not in ('{statuses}')",
        f"select count(*) from email_events where event_type not in ('{events}')",
        "select count(*) from nps_responses where score not between 0 and 10",
        """select count(*) from orders where (delivered_at is not null)
           <> (status in ('delivered', 'returned'))""",
        "select count(*) from orders where delivered_at <= ordered_at or updated_at < ordered_at",
        """select count(*) from orders o join customers c using (customer_id)
           where o.ordered_at < c.signed_up_at""",
        """select count(*) from returns r join orders o using (order_id)
           where o.status <> 'returned' or r.returned_at <= o.delivered_at""",
        """select count(*) from customers where acquisition_channel = 'referral' and customer_id
           not in (select referred_customer_id from referrals where converted)""",
        "select count(*) from referrals where converted <> (referred_customer_id is not null)",
        "select count(*) from orders where amount <= 0 or shipping_cost <= 0",
    ]
    for sql in checks:
        assert shop.one(sql) == 0, sql


def test_all_activity_is_inside_the_window(shop: Shop) -> None:
    columns = [
        ("orders", "ordered_at"), ("orders", "updated_at"), ("customers", "updated_at"),
        ("returns", "returned_at"), ("email_events", "occurred_at"),
        ("support_tickets", "opened_at"), ("web_sessions", "started_at"),
        ("nps_responses", "responded_at"), ("referrals", "referred_at"),
    ]  # fmt: skip
    for name, column in columns:
        low, high = shop.db.execute(f"select min({column}), max({column}) from {name}").fetchall()[0]
        assert str(low) >= "2024-07-01" and str(high) < "2026-07-01", (name, column)


def test_summary_matches_the_files(shop: Shop) -> None:
    truth = shop.truth
    assert truth["customers"] == shop.one("select count(distinct customer_id) from customers")
    assert truth["orders"] == shop.one("select count(*) from orders where status <> 'cancelled'")
    net = shop.one(
        """select (select sum(amount) from orders where status <> 'cancelled')
                - (select sum(refund_amount) from returns)""",
    )
    assert Decimal(truth["net_revenue"]) == net
    assert truth["end_date"] == "2026-06-30"
    assert (shop.out / "_truth" / "defects.csv").read_text().strip() == (
        "entity,source_file,source_line,kind,column_name"
    )
