"""Hand-made warehouses with the two dbt segment models the export reads."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

SEGMENT_DDL = """(customer_id varchar, email varchar, first_name varchar, last_name varchar,
    segment varchar, rfm_code varchar, net_revenue decimal(18,2), last_order_at timestamp,
    is_marketable boolean, as_of_date date)"""


def person(i: int, marketable: bool | None = True, **extra: Any) -> dict[str, Any]:
    return {
        "customer_id": f"c{i:04d}",
        "email": f"person{i:04d}@example.com",
        "first_name": f"First{i}",
        "last_name": f"Last{i}",
        "segment": "Champions",
        "is_marketable": marketable,
        **extra,
    }


def write_segments(path: Path, champions: list[dict[str, Any]], win_back: list[dict[str, Any]]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists segments")
        for table, rows in (("segment_champions", champions), ("segment_win_back", win_back)):
            con.execute(f"create or replace table segments.{table} {SEGMENT_DDL}")
            if rows:
                con.register("seg_rows", pl.DataFrame(rows).to_arrow())
                con.execute(f"insert into segments.{table} by name select * from seg_rows")
                con.unregister("seg_rows")
    return path
