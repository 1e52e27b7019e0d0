"""Hand-made warehouses shaped like the dbt marts the serving area publishes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.settings import REPO_ROOT

OLD_VERSION = "1.1.3"
OLD_PYTHON = REPO_ROOT / ".tools" / f"duckdb-{OLD_VERSION}" / "bin" / "python"
SEGMENTS = ("Champions", "Loyal", "At Risk", "Hibernating", "Lost")
STAGES = ("new", "active", "at_risk", "lapsed", "churned", "reactivated")


def old_duckdb_python() -> Path:
    """The cached old client (`make test-deps` builds it; created here too when run on its own)."""
    if not OLD_PYTHON.exists():
        venv = OLD_PYTHON.parent.parent
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(venv / "bin" / "pip"), "install", "--quiet", f"duckdb=={OLD_VERSION}"], check=True
        )
    return OLD_PYTHON


def build_warehouse(path: Path, customers: int = 200, seed: int = 0, extras: bool = True) -> Path:
    """marts.customers/orders/customer_rfm, one segment model, a raw table (never published) and,
    with extras, the wave-2 marts (profitability, lifecycle, CLV). `seed` shifts who is in which segment."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts; create schema if not exists segments")
        con.execute("create schema if not exists raw; create schema if not exists quality")
        con.execute(
            f"""
            create or replace table marts.customers as
            select 'c' || lpad(i::varchar, 5, '0') as customer_id,
                   (i % 7)::int as orders,
                   (case when i % 7 = 0 then 0 else (1000.0 / (i + 1))::decimal(18,2) end) as net_revenue,
                   case when i % 7 = 0 then null
                        else timestamp '2025-06-30 12:00:00' - to_days((i * 3)::int) end as last_order_at,
                   ['s' || i] as source_customer_ids,
                   'Ana ' || i as first_name, 'Iyer' as last_name
            from range({customers}) t(i)
            """
        )
        con.execute(
            f"""
            create or replace table marts.customer_rfm as
            select customer_id, net_revenue as monetary, 1 + (i % 5) as r_score,
                   1 + ((i // 5) % 5) as f_score, 1 + ((i + {seed}) % 5) as m_score,
                   {list(SEGMENTS)}[1 + ((i + {seed}) % {len(SEGMENTS)})] as segment,
                   date '2025-07-01' as as_of_date
            from (select *, row_number() over (order by customer_id) - 1 as i
                  from marts.customers where orders > 0)
            """
        )
        con.execute(
            "create or replace table marts.orders as "
            "select customer_id || '-' || n as order_id, customer_id from marts.customers, range(orders) t(n)"
        )
        con.execute(
            "create or replace table segments.segment_champions as "
            "select customer_id, segment from marts.customer_rfm where segment = 'Champions'"
        )
        con.execute("create or replace table raw.secret as select 1 as never_published")
        if extras:
            con.execute(
                """
                create or replace table marts.customer_profitability as
                select customer_id, net_revenue as net_sales,
                       (net_revenue * 0.6 - 5)::decimal(18,2) as contribution from marts.customers
                """
            )
            con.execute(
                f"""
                create or replace table marts.customer_lifecycle as
                select customer_id, {list(STAGES)}[1 + (hash(customer_id) % 6)::int] as lifecycle_stage
                from marts.customers
                """
            )
            con.execute(
                """
                create or replace table marts.customer_clv as
                select customer_id, orders - 1 as frequency, (orders * 20)::int as recency_days,
                       300 as t_days, 1.0 / orders as p_alive, orders * 0.5 as expected_purchases_365d,
                       (net_revenue * 0.4)::decimal(18,2) as clv_12m,
                       11 - ntile(10) over (order by net_revenue desc, customer_id) as clv_decile
                from marts.customers where orders > 0
                """
            )
            con.execute(
                "create or replace table marts.clv_holdout_validation as "
                "select i as frequency_bucket, 10 - i as customers, i * 0.3 as actual_mean, "
                "i * 0.28 as predicted_mean from range(8) t(i)"
            )
    return path
