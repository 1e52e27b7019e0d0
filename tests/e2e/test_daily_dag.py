"""Run the real Airflow DAG (`airflow dags test`) on a generated shop and check
the marts and exports against values recomputed from the landing files."""

from __future__ import annotations

import csv
from datetime import date

import duckdb
import polars as pl
import pytest

from pipelines.settings import Settings
from tests.e2e import independent

pytestmark = pytest.mark.e2e


def _marts(settings: Settings, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.sql(sql).pl()


def test_net_revenue_reconciles_to_the_cent(shop) -> None:
    settings, landing, as_of = shop
    orders = independent.net_revenue_per_order(landing, as_of)
    expected = orders["net_revenue"].sum()
    per_customer = _marts(settings, "select sum(net_revenue) as s from marts.customers")["s"][0]
    per_order = _marts(settings, "select sum(net_revenue) as s from marts.orders")["s"][0]
    # erased people's orders stay in the facts as anonymous revenue, outside every customer
    anonymous = _marts(settings, "select sum(net_revenue) as s from marts.orders where customer_id is null")
    assert per_order == expected
    assert per_customer + anonymous["s"][0] == per_order
    assert expected > 0 and anonymous["s"][0] > 0


def test_each_person_is_one_customer_with_their_revenue(shop) -> None:
    settings, landing, as_of = shop
    ids = independent.people(landing)
    orders = independent.net_revenue_per_order(landing, as_of)
    expected = (
        orders.join(ids, left_on="customer_id", right_on="source_id", how="left")
        .with_columns(pl.coalesce("canonical_id", "customer_id").alias("customer_id"))
        .filter(~pl.col("customer_id").is_in(independent.erased(landing, ids)))
        .group_by("customer_id")
        .agg(pl.col("net_revenue").sum())
    )
    got = _marts(settings, "select customer_id, net_revenue from marts.customers")
    joined = expected.join(got, on="customer_id", how="full", suffix="_mart", coalesce=True)
    assert joined["customer_id"].n_unique() == got.height, "every ordering person is a customer"
    mismatched = joined.filter(pl.col("net_revenue").fill_null(0) != pl.col("net_revenue_mart"))
    assert mismatched.height == 0, mismatched.head()
    duplicated_people = ids.filter(pl.col("source_id") != pl.col("canonical_id"))
    assert duplicated_people.height > 0, "the generator signs some people up twice"
    merged = _marts(settings, "select customer_id from marts.customers")["customer_id"].to_list()
    assert not set(duplicated_people["source_id"]) & set(merged)


def test_rfm_segments_match_an_independent_scoring(shop) -> None:
    settings, landing, as_of = shop
    ids = independent.people(landing)
    # erased people leave the customer base, so they are not in the quintiles either
    gone = ids.filter(pl.col("canonical_id").is_in(independent.erased(landing, ids)))["source_id"]
    orders = independent.net_revenue_per_order(landing, as_of).filter(~pl.col("customer_id").is_in(gone))
    expected = independent.rfm(orders, ids, as_of).select(
        pl.col("cid").alias("customer_id"), "rfm_code", "segment"
    )
    got = _marts(settings, "select customer_id, rfm_code, segment from marts.customer_rfm")
    joined = expected.join(got, on="customer_id", how="full", suffix="_mart")
    assert joined.filter(pl.col("rfm_code").ne_missing(pl.col("rfm_code_mart"))).height == 0
    assert joined.filter(pl.col("segment").ne_missing(pl.col("segment_mart"))).height == 0
    assert got["segment"].n_unique() >= 8, "a realistic shop fills most segments"


def _exported(settings: Settings, as_of: date, name: str) -> list[dict[str, str]]:
    path = settings.export_dir / as_of.isoformat() / "crm" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_exports_hold_exactly_the_consenting_segment_members(shop) -> None:
    settings, landing, as_of = shop
    ids = independent.people(landing)
    scored = independent.rfm(independent.net_revenue_per_order(landing, as_of), ids, as_of)
    # a person may be marketed only if their latest account consents and no account opted out
    opted_out = ids.filter(pl.col("unsubscribed_at") < pl.lit(as_of).cast(pl.Datetime))["person"]
    events = independent.read(landing, "email_events")
    unsub_ids = events.filter(
        pl.col("event_type") == "unsubscribe",
        pl.col("occurred_at").str.to_datetime(strict=False) < pl.lit(as_of).cast(pl.Datetime),
    )["customer_id"]
    blocked = set(opted_out) | set(ids.filter(pl.col("source_id").is_in(unsub_ids.implode()))["person"])
    # across a person's accounts the most recently updated one states their current wish
    latest = ids.sort(["version_at", "source_id"], nulls_last=False).group_by("person").last()
    blocked |= set(latest.filter(~pl.col("consent").fill_null(False))["person"])
    canon = ids.filter(pl.col("source_id") == pl.col("canonical_id"))
    # win_back follows customer_lifecycle (checked by the marts tests): here only its consent
    for name, segments in (("champions", ["Champions"]), ("win_back", None)):
        rows = _exported(settings, as_of, name)
        assert rows and list(rows[0]) == ["email", "first_name", "last_name", "segment"]
        emails = {r["email"] for r in rows}
        members = (
            scored.filter(pl.col("segment").is_in(segments)).join(
                canon, left_on="cid", right_on="canonical_id"
            )
            if segments
            else canon
        )
        members = members.filter(pl.col("email").is_not_null())
        allowed = {e for e, p in zip(members["email"], members["person"], strict=True) if p not in blocked}
        assert not {e for e, p in zip(ids["email"], ids["person"], strict=True) if p in blocked} & emails
        # the only blocked people in a segment are exactly those left out
        latest_consent_ok = emails <= allowed
        assert latest_consent_ok, sorted(emails - allowed)[:5]
        assert len(emails) == len(rows), "one row per contact"
