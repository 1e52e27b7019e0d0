"""The raw tables of one Spark load written into Spark's `raw` schema, and the per-file ledger.

Same tables and columns as the DuckDB loader's commit (pipelines/load/commit.py): the entities,
`_quarantine` (+ run_id), `_load_ledger` (rows in = loaded + quarantined per file, checked here
as the DuckDB loader checks it), `_withheld_opt_outs`, `_load_runs` and an empty `_erased_rows`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pipelines.contract import ENTITIES
from pipelines.load.header import Layout
from pipelines.load.raw_tables import LEDGER
from pipelines.load.schema import entity_columns, ident
from pipelines.load.withheld import OPT_OUTS


@dataclass(frozen=True)
class SparkLoad:
    """Row counts of one Spark load (the tables are in Spark's `raw`)."""

    rows_in: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class RawBatch:
    """What the rules made of the landing files (Spark DataFrames), before it is written."""

    layouts: list[Layout]
    tables: dict[str, Any]  # entity -> staged rows
    quarantine: Any
    withheld: Any  # opt-outs of quarantined customers rows, or None without customers files
    rows_in: dict[str, int]


def _spark_type(duckdb_type: str) -> str:
    return {"varchar": "string", "timestamp": "timestamp_ntz"}.get(duckdb_type, duckdb_type)


def _schema(columns: tuple[tuple[str, str], ...]) -> str:
    return ", ".join(f"{ident(n)} {_spark_type(t)}" for n, t in columns)


def _save(frame: Any, table: str) -> None:
    frame.write.mode("overwrite").format("parquet").saveAsTable(table)


def write_raw_tables(
    spark: Any, batch: RawBatch, as_of: date, run_id: str, loaded_at: datetime | None = None
) -> SparkLoad:
    """Write the batch as Spark's raw tables (`loaded_at`: the load's clock, now by default);
    RuntimeError if a file's rows do not add up."""
    from pyspark.sql import functions as F

    spark.sql("create database if not exists raw")
    now = loaded_at or datetime.now(UTC).replace(tzinfo=None)
    loaded: dict[str, int] = {}
    for entity in ENTITIES.values():
        frame = batch.tables.get(entity.name)
        if frame is None:
            frame = spark.createDataFrame([], _schema(entity_columns(entity)))
        _save(frame, f"raw.{entity.name}")
        loaded.update({r[0]: r[1] for r in frame.groupBy("_source_file").count().collect()})
    _save(batch.quarantine.withColumn("run_id", F.lit(run_id)), "raw._quarantine")
    by_file = batch.quarantine.groupBy("source_file").agg(F.countDistinct("source_line"))
    held = {r[0]: r[1] for r in by_file.collect()}
    ledger = []
    for f in (x.file for x in batch.layouts):
        n_in, n_loaded, n_held = (
            batch.rows_in[f.source_file],
            loaded.get(f.source_file, 0),
            held.get(f.source_file, 0),
        )
        if n_in != n_loaded + n_held:  # every row must end up loaded or quarantined: else a loader bug
            raise RuntimeError(
                f"row counts do not reconcile for {f.source_file}: {n_in} in, {n_loaded} + {n_held}"
            )
        ledger.append(
            (f.source_file, f.entity, f.size_bytes, f.checksum, n_in, n_loaded, n_held, run_id, now)
        )
    _save(spark.createDataFrame(ledger, _schema(LEDGER)), "raw._load_ledger")
    withheld = batch.withheld if batch.withheld is not None else spark.createDataFrame([], _schema(OPT_OUTS))
    _save(withheld.toDF(*[n for n, _ in OPT_OUTS]), "raw._withheld_opt_outs")
    runs = (("run_id", "varchar"), ("as_of", "date"), ("committed_at", "timestamp"))
    _save(spark.createDataFrame([(run_id, as_of, now)], _schema(runs)), "raw._load_runs")
    erased = (
        ("run_id", "varchar"),
        ("entity", "varchar"),
        ("source_file", "varchar"),
        ("rows_erased", "bigint"),
    )
    _save(spark.createDataFrame([], _schema(erased)), "raw._erased_rows")
    return SparkLoad(sum(batch.rows_in.values()), sum(loaded.values()), sum(held.values()))
