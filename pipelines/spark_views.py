"""A DuckDB file whose views read the tables Spark built, so DuckDB-side stages run unchanged.

After a Spark build the marts live as Parquet tables in Spark's warehouse. The CLV fit, the
export quality gate and the segment exports read a DuckDB warehouse (`pipelines.warehouse`);
rather than a second implementation of each for Spark, they get a DuckDB file in which every
Spark table is a view over its Parquet folder (`read_parquet`, evaluated at query time, so a
rebuilt Spark table is read as it is now). Only Spark *tables* can be read this way: a Spark
view is SQL in Spark's metastore, so the catalog lists tables only (staging and most
intermediates are views; what the fit and the exports read are tables).

`catalog` maps `schema.table` to its location and partition columns, as scripts/spark_dbt.py
writes it (`--catalog-out`) from Spark's own catalog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TypedDict

from pipelines.warehouse import connect


class SparkTable(TypedDict):
    location: str  # Spark's table folder, `file:/...` or a plain path
    partitions: list[str]  # partition columns (hive folders `col=value`), last in Spark's order


def attach_spark_tables(warehouse: Path, catalog: dict[str, SparkTable]) -> list[str]:
    """Create or replace one view per Spark table in `warehouse`; returns the views' names.

    A table of the same name already in the file (e.g. the CLV fit's output before Spark holds
    its copy) is replaced by the view. A table folder without Parquet files raises: an empty
    Spark table still has one file carrying its schema, so none means a wrong location."""
    names = []
    with connect(warehouse) as con:
        for relation, table in sorted(catalog.items()):
            schema, name = relation.split(".")
            folder = Path(table["location"].removeprefix("file:"))
            if not any(folder.rglob("*.parquet")):
                raise FileNotFoundError(f"Spark table {relation}: no Parquet files under {folder}")
            glob = str(folder / ("**/*.parquet" if table["partitions"] else "*.parquet")).replace("'", "''")
            hive = "true" if table["partitions"] else "false"
            con.execute(f'create schema if not exists "{schema}"')
            kind = con.execute(
                "select table_type from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchall()
            if kind and kind[0][0] != "VIEW":
                con.execute(f'drop table "{schema}"."{name}"')
            con.execute(
                f'create or replace view "{schema}"."{name}" as select * from '
                f"read_parquet('{glob}', hive_partitioning = {hive})"
            )
            names.append(relation)
    return names
