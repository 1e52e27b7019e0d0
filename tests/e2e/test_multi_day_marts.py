"""Two consecutive daily DAG runs on a small shop: every marketing mart against
polars recomputed from the landing files, and a history that keeps the first day and records
a customer deliberately moved between RFM segments on the second."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.local_airflow import run_dag
from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.settings import Settings
from tests.e2e import independent, independent_marts

pytestmark = pytest.mark.e2e
BOOST = "XTRA"  # order ids of the planted orders


def _copy_days(full: Path, landing: Path, before: date) -> None:
    """Landing files of days strictly before `before` (plus undated files), as a daily feed has them."""
    for path in full.rglob("*.csv"):
        rel = path.relative_to(full)
        if rel.parts[0].startswith(("_", ".")):
            continue
        day = next((p[5:] for p in rel.parts if p.startswith("date=")), None)
        if day is None or date.fromisoformat(day) < before:
            (landing / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, landing / rel)


def _query(settings: Settings, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.sql(sql).pl()


def _loaded(settings: Settings) -> pl.Series:
    """Order ids the loader accepted: the marts can only know those."""
    return _query(settings, "select distinct order_id from raw.orders")["order_id"]


def _plant_orders(landing: Path, customer_id: str, day: date) -> None:
    """Three big orders yesterday for one customer: their RFM segment must move."""
    template = independent.read(landing, "orders").filter(pl.col("customer_id") == customer_id).head(1)
    stamp = f"{day.isoformat()} 12:00:00"
    rows = pl.concat(
        [
            template.with_columns(
                pl.lit(f"{BOOST}{n}").alias("order_id"),
                pl.lit(stamp).alias("ordered_at"),
                pl.lit(stamp).alias("updated_at"),
                pl.lit("9999.00").alias("amount"),
                pl.lit("placed").alias("status"),
                pl.lit(None, pl.String).alias("delivered_at"),
            )
            for n in range(3)
        ]
    )
    folder = landing / "orders" / f"date={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    rows.write_csv(folder / "planted.csv")


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, list[date], str, str]:
    """(settings, landing, [D, D+1], moved customer, their segment on D) after two runs.

    Two days, not three: the second run is the one that moves the customer and appends to the
    history, and the marts are checked after it, so a third run added nothing but ~70 s."""
    home = tmp_path_factory.mktemp("days")
    full, landing = home / "full", home / "landing"
    generate_shop(full, customers=400, seed=23)
    last = default_as_of(full)
    run_days = [last - timedelta(days=1), last]
    settings = Settings(home=home)
    moved, before = "", ""
    for n, as_of in enumerate(run_days):
        _copy_days(full, landing, as_of)
        if n == 1:
            _plant_orders(landing, moved, as_of - timedelta(days=1))
        proc = run_dag(settings, as_of, landing)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
        if n == 0:  # someone who has not bought lately, with their own id on the orders
            pick = _query(
                settings,
                "select r.customer_id, r.segment from marts.customer_rfm as r "
                "inner join marts.customers as c using (customer_id) "
                "where r.segment in ('Hibernating', 'Lost', 'At Risk', 'About To Sleep') "
                "and c.source_customer_ids = c.customer_id order by r.customer_id limit 1",
            )
            moved, before = pick["customer_id"][0], pick["segment"][0]
    return settings, landing, run_days, moved, before


def test_history_has_one_row_per_customer_per_run_day(days) -> None:
    settings, _, run_days, _, _ = days
    got = _query(
        settings,
        "select as_of_date, count(*) as n, count(distinct customer_id) as people "
        "from marts.customer_segment_history group by as_of_date order by as_of_date",
    )
    assert got["as_of_date"].to_list() == run_days
    assert got["n"].to_list() == got["people"].to_list()
    customers = _query(settings, "select count(*) as n from marts.customers")["n"][0]
    assert got["n"][-1] == customers


def test_the_served_history_is_a_view_over_its_periods_with_the_warehouse_rows(days) -> None:
    """Publish serves the history from its periods (pipelines/serve/history.py), not a copy
    that grows every day: after two days, a moved customer and the shop's erasures (forget_erased
    ran after publish), its rows are the warehouse's, both ways."""
    settings = days[0]
    with duckdb.connect(str(settings.serving_dir / "rapport.duckdb"), read_only=True) as con:
        views = con.execute("select view_name from duckdb_views() where schema_name = 'marts'").fetchall()
        con.execute(f"attach '{settings.warehouse_path}' as w (read_only)")
        served, kept = "marts.customer_segment_history", "w.marts.customer_segment_history"
        differing = con.execute(
            f"select (select count(*) from (from {served} except all from {kept})),"
            f" (select count(*) from (from {kept} except all from {served})), (select count(*) from {served})"
        ).fetchall()[0]
    assert views == [("customer_segment_history",)]
    assert differing[:2] == (0, 0) and differing[2] > 0


def test_planted_orders_move_the_customer_between_segments(days) -> None:
    settings, landing, run_days, moved, before = days
    ids = independent.people(landing)
    after = independent.rfm(independent.net_revenue_per_order(landing, run_days[1]), ids, run_days[1])
    expected_to = after.filter(pl.col("cid") == moved)["segment"][0]
    assert expected_to != before
    got = _query(
        settings,
        f"select from_value, to_value, as_of_date from marts.segment_transitions "
        f"where customer_id = '{moved}' and dimension = 'rfm_segment'",
    )
    assert (before, expected_to, run_days[1]) in got.rows()


def test_customer_360_money_matches_the_landing_files(days) -> None:
    settings, landing, run_days, _, _ = days
    gone = independent.erased(landing, independent.people(landing))
    facts = independent_marts.order_facts(landing, run_days[-1], _loaded(settings)).filter(
        ~pl.col("is_cancelled") & ~pl.col("cid").is_in(gone)
    )
    expected = facts.group_by("cid").agg(pl.col("net_revenue").sum().alias("net"), pl.len().alias("orders"))
    got = _query(
        settings, "select customer_id as cid, net_sales, orders from marts.customers where orders > 0"
    )
    joined = expected.join(got, on="cid", how="full", coalesce=True)
    assert joined.filter((pl.col("net") - pl.col("net_sales").cast(pl.Float64)).abs() > 0.005).height == 0
    assert joined.filter(pl.col("orders").ne_missing(pl.col("orders_right"))).height == 0
    lines = independent.read(landing, "order_lines")
    line_total = (
        lines.join(facts.select("order_id"), on="order_id")
        .select((pl.col("quantity").cast(pl.Int64) * pl.col("unit_price").cast(pl.Float64)
                 - pl.col("line_discount").cast(pl.Float64).fill_null(0)).sum())
        .item()
    )  # fmt: skip
    refunds = _query(settings, "select sum(refunds) as r from marts.customers")["r"][0]
    total = _query(settings, "select sum(net_sales) as s from marts.customers")["s"][0]
    # the planted orders have no lines: their amount stands in for them
    planted = 3 * 9999.0
    assert float(total) == pytest.approx(line_total + planted - float(refunds), abs=0.01)
    phones = _query(settings, "select phone, phone_e164 from marts.customers where phone_e164 is not null")
    assert phones.height > 0.8 * _query(settings, "select count(phone) as n from marts.customers")["n"][0]
    digits = phones.with_columns(pl.col("phone").str.replace_all(r"\D", "").str.slice(-6).alias("tail"))
    assert digits.filter(~pl.col("phone_e164").str.ends_with(pl.col("tail"))).height == 0


def test_profitability_matches_an_independent_costing(days) -> None:
    settings, landing, run_days, _, _ = days
    expected = independent_marts.profitability(landing, run_days[-1], _loaded(settings))
    got = _query(settings, "select customer_id, contribution, profit_tier from marts.customer_profitability")
    joined = got.join(expected, on="customer_id", how="left").with_columns(
        pl.col("contribution_right").fill_null(0)
    )
    off = joined.filter((pl.col("contribution").cast(pl.Float64) - pl.col("contribution_right")).abs() > 0.05)
    assert off.height == 0, off.head()
    assert set(got["profit_tier"]) == {"top_20pct", "profitable", "break_even", "unprofitable"}


def test_value_curve_shows_the_heavy_tail_and_the_whale(days) -> None:
    settings, landing, run_days, _, _ = days
    gone = independent.erased(landing, independent.people(landing))
    per_person = (
        independent_marts.profitability(landing, run_days[-1], _loaded(settings))
        .filter(~pl.col("customer_id").is_in(gone))
        .sort("net_sales", descending=True)
    )
    n = _query(settings, "select count(*) as n from marts.customers")["n"][0]
    top = per_person.head(int(n * 0.2))["net_sales"].sum() / per_person["net_sales"].sum()
    curve = _query(settings, "select * from marts.customer_value_curve order by revenue_rank")
    at_20 = curve.filter(pl.col("revenue_rank") == int(n * 0.2))["cum_revenue_share"][0]
    assert at_20 == pytest.approx(top, abs=1e-6)
    assert top > 0.5, "the generator's revenue is heavy-tailed: the top fifth brings most of it"
    whale = curve.sort("profit_rank")["cum_profit_share"]
    assert whale.max() > 1.0 and whale[-1] == 1.0, "profit peaks above 100% then falls back"
    assert curve["cum_revenue_share"][-1] == 1.0
    flagged = _query(settings, "select count(*) as n from marts.customers where is_top_20pct_revenue")["n"][0]
    assert 0 < flagged <= int(n * 0.2)


def test_lifecycle_stages_match(days) -> None:
    settings, landing, run_days, _, _ = days
    gone = independent.erased(landing, independent.people(landing))
    expected = independent_marts.lifecycle(landing, run_days[-1], _loaded(settings)).filter(
        ~pl.col("customer_id").is_in(gone)
    )
    got = _query(settings, "select customer_id, lifecycle_stage from marts.customer_lifecycle")
    joined = expected.join(got, on="customer_id", how="full", coalesce=True)
    assert joined.filter(pl.col("lifecycle_stage").ne_missing(pl.col("lifecycle_stage_right"))).height == 0
    assert got["lifecycle_stage"].n_unique() >= 4


def test_birthday_occasions_match(days) -> None:
    settings, landing, run_days, _, _ = days
    expected = independent_marts.birthdays(landing, run_days[-1])
    got = _query(
        settings,
        "select customer_id, occasion_date from marts.customer_occasions where occasion_type = 'birthday'",
    )
    assert set(got.rows()) == expected
    assert expected, "400 people have birthdays in any week"


def test_ambassadors_are_promoters_who_rebuy_or_referrers(days) -> None:
    settings, _, _, _, _ = days
    got = _query(
        settings,
        "select a.ambassador_rank, a.referral_value, c.nps_class, c.orders, c.referrals_converted "
        "from marts.brand_ambassadors as a inner join marts.customers as c using (customer_id) "
        "order by a.ambassador_rank",
    )
    assert got.height > 0
    ok = ((pl.col("nps_class") == "promoter") & (pl.col("orders") >= 2)) | (pl.col("referrals_converted") > 0)
    assert got.filter(~ok).height == 0
    assert got["referral_value"].to_list() == sorted(got["referral_value"].to_list(), reverse=True)
    everyone = _query(
        settings,
        "select count(*) as n from marts.customers where "
        "(nps_class = 'promoter' and orders >= 2) or referrals_converted > 0",
    )
    assert everyone["n"][0] == got.height
