"""The shop looks like a real one: skewed revenue, messy contacts, seasonality, funnels."""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import phonenumbers
import polars as pl

from pipelines.generate.contacts import CODES
from pipelines.generate.customers import draw_base
from pipelines.generate.timeline import Timeline
from tests.generate.conftest import Shop

SCRIPTS = {
    "Devanagari": r"[\u0900-\u097F]",
    "Bengali": r"[\u0980-\u09FF]",
    "Telugu": r"[\u0C00-\u0C7F]",
    "Gujarati": r"[\u0A80-\u0AFF]",
    "CJK": r"[\u3040-\u30FF\u4E00-\u9FFF]",
    "Arabic": r"[\u0600-\u06FF]",
}


def test_top_fifth_of_buyers_brings_most_revenue(clean_shop: Shop) -> None:
    share = clean_shop.one(
        """with r as (select customer_id, sum(amount) v from orders
                      where status <> 'cancelled' group by 1),
                k as (select v, row_number() over (order by v desc) rn, count(*) over () n from r)
           select sum(v) filter (where rn <= n * 0.2) / sum(v) from k"""
    )
    assert 0.6 <= share <= 0.85


def test_some_customers_churned_and_some_never_bought(clean_shop: Shop) -> None:
    params = pl.read_parquet(clean_shop.out / "_truth" / "customer_params.parquet")
    assert params.height == clean_shop.truth["customers"]
    churned = params.filter(pl.col("dropout_at").is_not_null())
    assert 0.15 < churned.height / params.height < 0.8
    assert 0.1 < params.filter(pl.col("orders") == 0).height / params.height < 0.35
    # Nobody buys after the purchase they dropped out at.
    clean_shop.db.register("params", params.select("customer_id", "dropout_at"))
    after = clean_shop.db.execute(
        """select count(*) from orders o join params p using (customer_id)
           where o.ordered_at > p.dropout_at""",
    ).fetchall()[0]
    assert after == (0,)


def test_consent_share_and_unsubscribes(clean_shop: Shop) -> None:
    latest = """select * from customers qualify row_number()
                over (partition by customer_id order by updated_at desc) = 1"""
    refused = clean_shop.one(f"select avg((not marketing_consent)::int) from ({latest})")
    assert 0.10 <= refused <= 0.20
    unsubscribed = clean_shop.one(
        """select count(*) from customers c join email_events e
           on e.customer_id = c.customer_id and e.event_type = 'unsubscribe'
           and e.occurred_at = c.unsubscribed_at"""
    )
    assert unsubscribed == clean_shop.one("select count(unsubscribed_at) from customers") > 0


def test_emails_are_messy_and_some_people_signed_up_twice(clean_shop: Shop) -> None:
    people = clean_shop.one("select count(distinct customer_id) from customers")
    twice = clean_shop.db.sql(
        """select lower(trim(email)) as e, count(distinct customer_id) n,
                  count(distinct email) raw from customers group by 1 having n > 1"""
    ).pl()
    assert 0.01 * people <= twice.height <= 0.04 * people
    assert (twice["raw"] >= 2).all()  # the second sign-up typed it differently
    messy = clean_shop.one("select avg((email <> lower(trim(email)))::int) from customers")
    assert 0.1 < messy < 0.4


def test_names_come_in_many_scripts(clean_shop: Shop) -> None:
    names = clean_shop.db.sql("select first_name || ' ' || last_name from customers").pl()
    text = "\n".join(names.to_series().to_list())
    for script, pattern in SCRIPTS.items():
        assert re.search(pattern, text), script


def test_phones_are_plausible_for_the_country(clean_shop: Shop) -> None:
    rows = clean_shop.db.execute("select phone, country from customers where phone is not null").fetchall()
    possible = [phonenumbers.is_possible_number(phonenumbers.parse(p, c)) for p, c in rows]
    assert sum(possible) / len(possible) > 0.97
    indian = [p for p, c in rows if c == "IN"]
    for layout in (r"\+91 [6-9]\d{4} \d{5}", r"0[6-9]\d{4} \d{5}", r"[6-9]\d{9}"):
        assert any(re.fullmatch(layout, p) for p in indian), layout


def test_birthdays_are_often_missing_and_include_leap_days() -> None:
    tl = Timeline.build(date(2024, 7, 1), date(2026, 6, 30))
    base = draw_base(np.random.default_rng(3), 20_000, tl, tl.campaigns()[0])
    birthdays = base.people["birthday"]
    assert 0.12 < birthdays.null_count() / len(birthdays) < 0.18
    leap = birthdays.drop_nulls().filter(
        (birthdays.drop_nulls().dt.month() == 2) & (birthdays.drop_nulls().dt.day() == 29)
    )
    assert leap.len() > 0
    assert set(np.array(CODES)[base.country]) == set(CODES)


def test_returns_tickets_and_nps_hang_together(clean_shop: Shop) -> None:
    returned = clean_shop.one("select count(*) / (select count(*) from order_lines) from returns")
    assert 0.05 <= returned <= 0.10
    scores = clean_shop.db.execute(
        """select (r.order_id is not null) as had_return, avg(n.score)
           from nps_responses n
           join orders o on o.customer_id = n.customer_id
                and n.responded_at between o.delivered_at and o.delivered_at + interval 10 day
           left join (select distinct order_id from returns) r using (order_id)
           group by 1 order by 1"""
    ).fetchall()
    assert scores[0][1] - scores[1][1] > 1.0
    ticket_rate = clean_shop.db.execute(
        """select o.status = 'returned', avg((t.order_id is not null)::int)
           from orders o left join (select distinct order_id from support_tickets) t
           using (order_id) where o.status in ('delivered', 'returned') group by 1 order by 1"""
    ).fetchall()
    assert ticket_rate[1][1] > 3 * ticket_rate[0][1]


def test_email_funnel_rates(clean_shop: Shop) -> None:
    counts = dict(
        clean_shop.db.execute("select event_type, count(*) from email_events group by 1").fetchall()
    )
    assert 0.15 < counts["open"] / counts["send"] < 0.45
    assert 0.04 < counts["click"] / counts["open"] < 0.3
    assert counts["bounce"] / counts["send"] < 0.05


def test_weekly_and_yearly_seasonality(clean_shop: Shop) -> None:
    per_day = clean_shop.db.execute(
        """select month(ordered_at) in (11, 12) as peak, count(*) / count(distinct ordered_at::date)
           from orders where ordered_at >= '2025-07-01' group by 1 order by 1"""
    ).fetchall()
    assert per_day[1][1] > 1.2 * per_day[0][1]
    by_weekday = clean_shop.db.execute(
        "select dayofweek(ordered_at), count(*) from orders group by 1 order by 2 desc"
    ).fetchall()
    assert by_weekday[0][0] == 0  # Sunday is the busiest day
