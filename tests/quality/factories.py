"""Hand-made warehouses with an `incoming.orders` batch, typed like the loader does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.contract import ENTITIES

ORDERS = ENTITIES["orders"]


def clean_orders(n: int = 6) -> list[dict[str, Any]]:
    return [
        {
            "order_id": f"o{i}",
            "customer_id": f"c{i % 3}",
            "ordered_at": f"2024-03-0{1 + i % 5} 10:00:00",
            "amount": f"{10 + i}.50",
            "status": ("placed", "shipped", "delivered", "cancelled", "returned", None)[i % 6],
            "currency": "EUR",
            "delivered_at": f"2024-03-0{2 + i % 5} 10:00:00",
            "_source_file": "orders/date=2024-03-01/orders.csv",
            "_source_line": i + 2,
        }
        for i in range(n)
    ]


def write_incoming(path: Path, rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> Path:
    """Create incoming.orders typed like the loader does: contract columns + source columns."""
    columns = [(c.name, c.type) for c in ORDERS.columns if c.name not in drop]
    columns += [("_source_file", "varchar"), ("_source_line", "bigint")]
    ddl = ", ".join(f'"{name}" {type_}' for name, type_ in columns)
    frame = pl.DataFrame(
        rows, schema={name: pl.Int64 if name == "_source_line" else pl.String for name, _ in columns}
    )
    with duckdb.connect(str(path)) as con:
        con.execute(f"create schema if not exists incoming; create table incoming.orders ({ddl})")
        con.register("batch_rows", frame.to_arrow())
        con.execute("insert into incoming.orders by name select * from batch_rows")
    return path
