"""Headline numbers of one published version, kept per version so the next report can compare."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb

from pipelines.warehouse import table_exists

ACTIVE_DAYS = 365
LABELS = {
    "customers": "Customers",
    # not "active": that word is a lifecycle stage (ordering on one's own rhythm), another thing
    "active_customers": f"Buyers in the last {ACTIVE_DAYS} days",
    "net_revenue": "Net revenue",
    "contribution": "Contribution margin",
    "margin_pct": "Contribution margin %",
    "top20_share": "Share of revenue from the top 20% of buyers",
}


# fetchall() throughout: duckdb 2.0 leaves a fetchone() result "unfinished", which blocks con.sql().
def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    schema, table = name.split(".")
    return table_exists(con, schema, table)


def has_column(con: duckdb.DuckDBPyConnection, name: str, column: str) -> bool:
    schema, table = name.split(".")
    found = con.execute(
        "select count(*) from information_schema.columns where table_schema = ? and table_name = ?"
        " and column_name = ?",
        [schema, table, column],
    ).fetchall()
    return bool(found[0][0])


def compute_kpis(con: duckdb.DuckDBPyConnection, as_of: date) -> dict[str, float | None]:
    """Buyers (at least one order) are the population of the top-20% share, as in the Pareto curve."""
    customers, active, revenue, top20 = con.execute(
        f"""
        with c as (select net_revenue, orders, last_order_at from marts.customers),
        ranked as (
            select net_revenue, row_number() over (order by net_revenue desc) as rn,
                count(*) over () as n
            from c where orders > 0
        )
        select
            (select count(*) from c),
            (select count(*) from c where last_order_at >= $as_of - interval {ACTIVE_DAYS} day),
            (select coalesce(sum(net_revenue), 0) from c),
            (select sum(net_revenue) filter (where rn <= ceil(0.2 * n)) / nullif(sum(net_revenue), 0)
             from ranked)
        """,
        {"as_of": as_of},
    ).fetchall()[0]
    result: dict[str, float | None] = {
        "customers": customers,
        "active_customers": active,
        "net_revenue": float(revenue),
        "contribution": None,
        "margin_pct": None,
        "top20_share": None if top20 is None else float(top20),
    }
    if has_table(con, "marts.customer_profitability"):
        contribution, sales = con.execute(
            "select sum(contribution), sum(net_sales) from marts.customer_profitability"
        ).fetchall()[0]
        result["contribution"] = None if contribution is None else float(contribution)
        result["margin_pct"] = (
            float(contribution) / float(sales) if contribution is not None and sales else None
        )
        # share of net sales whose cost of goods is the default rate, not data (0 when measured)
        if has_column(con, "marts.customer_profitability", "cost_of_goods_source"):
            assumed = con.execute(
                "select sum(net_sales) filter (where cost_of_goods_source in ('defaulted', 'mixed'))"
                " / nullif(sum(net_sales), 0) from marts.customer_profitability"
            ).fetchall()[0][0]
            result["assumed_cost_of_goods"] = float(assumed or 0)
    return result


def segment_sizes(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    rows = con.execute(
        "select segment, count(*) from marts.customer_rfm group by 1 order by 2 desc"
    ).fetchall()
    return {str(segment): int(count) for segment, count in rows}


def load_previous(path: Path | None) -> dict:
    return json.loads(path.read_text()) if path and path.exists() else {}
