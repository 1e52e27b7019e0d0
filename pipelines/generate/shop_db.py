"""Fill a PostgreSQL database with a generated demo shop (the source the extract reads).

Beside the generator it serves: the extract reads such a database and never the generator.

The generator writes landing files, where an account may be restated by later files; a
database holds only the current state, so each key keeps its latest version. Tables the
contract gives no `updated_at` get one: returns when they were made, order lines when
their order was placed, products when the first order was.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb

from pipelines.contract import ENTITIES
from pipelines.extract.source import connect
from pipelines.extract.tables import TABLES, create_table_sql, q
from pipelines.generate.shop import generate_shop


def _current_state(landing: Path, entity: str) -> str:
    cols = ", ".join(q(c) for c in ENTITIES[entity].column_names)
    files = f"read_parquet('{landing}/{entity}/**/*.parquet', hive_partitioning = false)"
    key = ", ".join(q(k) for k in ENTITIES[entity].key)
    if entity in ("orders", "customers"):
        return f"select {cols} from {files} qualify row_number() over (partition by {key} order by updated_at desc nulls last) = 1"  # noqa: E501
    stamp = {
        "returns": "returned_at",
        "order_lines": f"(select o.ordered_at from read_parquet('{landing}/orders/**/*.parquet',"
        " hive_partitioning = false) o where o.order_id = f.order_id limit 1)",
        "products": f"(select min(ordered_at) from read_parquet('{landing}/orders/**/*.parquet'))",
    }[entity]
    return f"select {cols}, {stamp} as updated_at from {files} f"


def seed_shop_db(url: str, schema: str = "public", customers: int = 500, seed: int = 42) -> dict[str, int]:
    """Replace the shop tables in `schema` with a generated shop; returns rows per table."""

    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="rapport-seed-") as tmp:
        landing = Path(tmp)
        generate_shop(landing, customers=customers, seed=seed, fmt="parquet")
        con = connect(url, attempts=5)
        try:
            cur = con.cursor()
            cur.execute(f"create schema if not exists {q(schema)}")
            for table in TABLES:
                cur.execute(f"drop table if exists {q(schema)}.{q(table.entity)} cascade")
                cur.execute(create_table_sql(schema, table.entity))
                relation = duckdb.sql(_current_state(landing, table.entity))
                assert relation is not None
                data = relation.to_arrow_table()
                counts[table.entity] = cur.adbc_ingest(
                    table.entity, data, mode="append", db_schema_name=schema
                )
            con.commit()
            cur.close()
        finally:
            con.close()
    return counts
