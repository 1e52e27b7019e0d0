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
    columns: list[tuple[str, str]]  # (name, Spark type), for a table Spark wrote no file for


# Spark type names DuckDB reads otherwise (string, int, bigint, double, decimal(p,s), date,
# boolean, binary are the same words on both)
TYPES = {"timestamp_ntz": "timestamp", "timestamp": "timestamptz"}


def _source(relation: str, table: SparkTable) -> str:
    folder = Path(table["location"].removeprefix("file:"))
    if not folder.is_dir():
        raise FileNotFoundError(f"Spark table {relation}: no folder {folder}")
    if not any(folder.rglob("*.parquet")):  # an empty table: Spark may write no file at all
        cols = ", ".join(f'cast(null as {TYPES.get(t, t)}) as "{c}"' for c, t in table["columns"])
        return f"select {cols} where false"
    glob = str(folder / ("**/*.parquet" if table["partitions"] else "*.parquet")).replace("'", "''")
    hive = "true" if table["partitions"] else "false"
    return f"select * from read_parquet('{glob}', hive_partitioning = {hive})"


def attach_spark_tables(warehouse: Path, catalog: dict[str, SparkTable]) -> list[str]:
    """Create or replace one view per Spark table in `warehouse`; returns the views' names.

    A table of the same name already in the file (e.g. the CLV fit's output before Spark holds
    its copy) is replaced by the view. A table folder that does not exist raises; one without
    Parquet files is an empty table with the catalog's columns."""
    names = []
    with connect(warehouse) as con:
        for relation, table in sorted(catalog.items()):
            schema, name = relation.split(".")
            source = _source(relation, table)
            con.execute(f'create schema if not exists "{schema}"')
            kind = con.execute(
                "select table_type from information_schema.tables "
                "where table_catalog = current_database() and table_schema = ? and table_name = ?",
                [schema, name],
            ).fetchall()
            if kind and kind[0][0] != "VIEW":
                con.execute(f'drop table "{schema}"."{name}"')
            con.execute(f'create or replace view "{schema}"."{name}" as {source}')
            names.append(relation)
    return names
