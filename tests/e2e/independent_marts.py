"""Customer 360, profitability and lifecycle recomputed from the landing files with polars.

Shares no code with the dbt models (only the rate defaults, read from
dbt_project.yml as a user would): if both agree, the marts say what the rules say.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import polars as pl
import yaml

from tests.e2e.independent import erased, net_revenue_per_order, people, read

VARS: dict = yaml.safe_load((Path(__file__).parents[2] / "dbt_project" / "dbt_project.yml").read_text())[
    "vars"
]
F = pl.Float64


def _ts(col: str) -> pl.Expr:
    return pl.col(col).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)


def _before(col: str, as_of: date) -> pl.Expr:
    return _ts(col) < pl.lit(as_of).cast(pl.Datetime)


def _person(frame: pl.DataFrame, ids: pl.DataFrame, col: str = "customer_id") -> pl.DataFrame:
    joined = frame.join(
        ids.select("source_id", "canonical_id"), left_on=col, right_on="source_id", how="left"
    )
    return joined.with_columns(pl.coalesce("canonical_id", col).alias("cid"))


def order_facts(landing: Path, as_of: date, loaded: pl.Series | None = None) -> pl.DataFrame:
    """Per order before as_of: person, net revenue, cost of goods (restocked returns credited), shipping.

    `loaded`: order ids the loader accepted (it quarantines rows stamped after the run's date).
    """
    ids = people(landing)
    orders = net_revenue_per_order(landing, as_of)
    if loaded is not None:
        orders = orders.filter(pl.col("order_id").is_in(loaded.implode()))
    raw = read(landing, "orders").select("order_id", "amount", "shipping_cost", "discount_amount")
    lines = read(landing, "order_lines").join(read(landing, "products"), on="product_id", how="left")
    lines = lines.with_columns(
        pl.col("quantity").cast(pl.Int64),
        pl.coalesce(
            pl.col("unit_cost").cast(F), pl.col("unit_price").cast(F) * VARS["default_cogs_rate"]
        ).alias("uc"),
    )
    line_cost = lines.group_by("order_id").agg((pl.col("quantity") * pl.col("uc")).sum().alias("line_cost"))
    returns = read(landing, "returns").filter(_before("returned_at", as_of))
    restock = (
        returns.join(lines.select("order_line_id", "uc"), on="order_line_id", how="left")
        .group_by("order_id")
        .agg(
            (pl.col("quantity").cast(F).fill_null(0) * pl.col("uc").fill_null(0)).sum().alias("restock"),
            pl.len().alias("n_returns"),
        )
    )
    facts = (
        orders.join(raw, on="order_id")
        .join(line_cost, on="order_id", how="left")
        .join(restock, on="order_id", how="left")
    )
    live = ~pl.col("is_cancelled")
    cogs = pl.coalesce(
        pl.col("line_cost") - pl.col("restock").fill_null(0),
        pl.col("amount").cast(F) * VARS["default_cogs_rate"],
    )
    facts = facts.with_columns(
        pl.when(live).then(cogs).otherwise(0.0).alias("cogs"),
        pl.when(live).then(pl.col("shipping_cost").cast(F).fill_null(0)).otherwise(0.0).alias("shipping"),
        pl.when(live).then(pl.col("n_returns").fill_null(0)).otherwise(0).alias("returns"),
        pl.col("net_revenue").cast(F),
    )
    return _person(facts, ids)


def profitability(landing: Path, as_of: date, loaded: pl.Series | None = None) -> pl.DataFrame:
    """customer_id -> net_sales, contribution (lifetime), with the default rates."""
    ids = people(landing)
    customers = read(landing, "customers").with_columns(_ts("signed_up_at"), _ts("updated_at"))
    # the canonical account (earliest sign-up) brought the person in
    first = _person(customers.sort("updated_at").unique("customer_id", keep="last"), ids)
    # an erased person leaves the cohort: the month's spend is shared by the customers still known,
    # so the spend allocated still adds up to the spend file
    first = first.filter(
        pl.col("customer_id") == pl.col("cid"),
        pl.col("signed_up_at") < pl.lit(as_of).cast(pl.Datetime),
        ~pl.col("cid").is_in(erased(landing, ids)),
    )
    first = first.with_columns(pl.col("signed_up_at").dt.truncate("1mo").dt.date().alias("month"))
    first = first.with_columns(pl.len().over("month", "acquisition_channel").alias("cohort"))
    spend = read(landing, "marketing_spend").with_columns(
        pl.col("month").str.to_date(), pl.col("spend").cast(F)
    )
    acquisition = first.join(spend, left_on=["month", "acquisition_channel"], right_on=["month", "channel"])
    acquisition = acquisition.select("cid", (pl.col("spend") / pl.col("cohort")).alias("acquisition"))
    sends = _person(
        read(landing, "email_events").filter(pl.col("event_type") == "send", _before("occurred_at", as_of)),
        ids,
    )
    sends = sends.group_by("cid").agg((pl.len() * VARS["cost_per_email"]).alias("email"))
    tickets = _person(read(landing, "support_tickets").filter(_before("opened_at", as_of)), ids)
    tickets = tickets.group_by("cid").agg(
        (
            pl.col("handling_minutes").cast(F).fill_null(0).sum() * VARS["cost_per_support_minute"]
            + pl.len() * VARS["cost_per_ticket"]
        ).alias("support")
    )
    orders = order_facts(landing, as_of, loaded).group_by("cid").agg(
        pl.col("net_revenue").sum().alias("net_sales"), pl.col("cogs").sum(), pl.col("shipping").sum(),
        (pl.col("returns").sum() * VARS["cost_per_return"]).alias("return_cost"),
    )  # fmt: skip
    everyone = pl.concat([f.select("cid") for f in (orders, acquisition, sends, tickets)]).unique()
    out = everyone
    for frame in (orders, acquisition, sends, tickets):
        out = out.join(frame, on="cid", how="left")
    out = out.fill_null(0.0)
    contribution = pl.col("net_sales") - pl.col("cogs") - pl.col("shipping") - pl.col("return_cost")
    contribution = contribution - pl.col("support") - pl.col("acquisition") - pl.col("email")
    return out.select(pl.col("cid").alias("customer_id"), "net_sales", contribution.alias("contribution"))


def lifecycle(landing: Path, as_of: date, loaded: pl.Series | None = None) -> pl.DataFrame:
    """customer_id -> lifecycle stage, by the rules of DECISIONLOG.md with the default thresholds."""
    facts = (
        order_facts(landing, as_of, loaded)
        .filter(~pl.col("is_cancelled"))
        .sort("cid", "ordered_at", "order_id")
    )
    facts = facts.with_columns(pl.col("ordered_at").dt.date().alias("day"))
    per = facts.group_by("cid").agg(
        pl.col("day").min().alias("first"),
        pl.col("day").max().alias("last"),
        pl.len().alias("n"),
        (pl.col("day").last() - pl.col("day").shift(1).last()).dt.total_days().alias("last_gap"),
    )
    recency = (pl.lit(as_of) - pl.col("last")).dt.total_days()
    usual = pl.when(pl.col("n") > 1).then(
        (pl.col("last") - pl.col("first")).dt.total_days() / (pl.col("n") - 1)
    )
    usual = usual.otherwise(VARS["default_order_gap_days"])
    tenure = (pl.lit(as_of) - pl.col("first")).dt.total_days()
    stage = (
        pl.when(recency > VARS["churned_after_days"]).then(pl.lit("churned"))
        .when(recency > VARS["lapsed_after_days"]).then(pl.lit("lapsed"))
        .when(tenure <= VARS["new_customer_days"]).then(pl.lit("new"))
        .when(pl.col("last_gap").fill_null(0) > VARS["lapsed_after_days"]).then(pl.lit("reactivated"))
        .when(recency > usual * VARS["at_risk_gap_multiplier"]).then(pl.lit("at_risk"))
        .otherwise(pl.lit("active"))
    )  # fmt: skip
    return per.select(pl.col("cid").alias("customer_id"), stage.alias("lifecycle_stage"))


def birthdays(landing: Path, as_of: date) -> set[tuple[str, date]]:
    """(customer_id, date) of birthdays in [as_of, as_of + window); 29 Feb falls on 28 Feb in other years."""
    ids = people(landing)
    customers = read(landing, "customers").with_columns(_ts("updated_at"), _ts("signed_up_at"))
    known = customers.filter(pl.coalesce("updated_at", "signed_up_at") < pl.lit(as_of).cast(pl.Datetime))
    latest = _person(known.sort("updated_at").unique("customer_id", keep="last"), ids)
    latest = latest.sort("updated_at", "customer_id").group_by("cid").last()
    window = VARS["occasion_window_days"]
    out = set()
    for cid, text in latest.select("cid", "birthday").drop_nulls().iter_rows():
        born = date.fromisoformat(text)
        for year in (as_of.year, as_of.year + 1):
            try:
                day = born.replace(year=year)
            except ValueError:
                day = date(year, 2, 28)
            if as_of <= day < as_of + timedelta(days=window) and born < as_of:
                out.add((cid, day))
    return out
