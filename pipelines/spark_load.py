"""Spark reads a landing folder into the raw tables itself, with the DuckDB loader's own rules.

The casts, row rules, key rules and the opt-out rule are the SQL pipelines/load generates,
rendered for Spark (pipelines/load/dialect.py) and run in Spark SQL; files are found and their
headers mapped by the loader's own discover() and inspect(); rows are read by Spark
(spark_read.py). Out come the raw tables of a first load (one run into an empty `raw`): every
entity, `_quarantine` with each row's reason(s), `_load_ledger` (rows in = loaded +
quarantined, per file), `_withheld_opt_outs`, `_load_runs`, an empty `_erased_rows`.

Not done on Spark, refused with a one-line error (SparkLoadRefused) rather than loaded
differently: landing-config options, Parquet files, rows not numbered by line, malformed rows,
invalid UTF-8, columns with values in a non-contract format (which the DuckDB loader may detect
and rewrite), a `raw` schema that already holds tables (incremental loads). Not checked on
Spark: the value-loss guard (pipelines/load/value_loss.py).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipelines.contract import DO_NOT_CONTACT, ENTITIES
from pipelines.load import keys
from pipelines.load.collapse import MAX_SHARE, MIN_ROWS
from pipelines.load.discover import discover
from pipelines.load.errors import BatchRejected
from pipelines.load.row_rules import WRONG_TYPE
from pipelines.spark_entity import QUARANTINE_COLUMNS, load_entity
from pipelines.spark_raw import RawBatch, SparkLoad, write_raw_tables
from pipelines.spark_read import SparkLoadRefused, layouts_of

# Read like DuckDB: "x" is a column, '\s' keeps its backslash, `timestamp` has no zone, UTC.
SESSION_CONF = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.ansi.doubleQuotedIdentifiers": "true",
    "spark.sql.parser.escapedStringLiterals": "true",
    "spark.sql.timestampType": "TIMESTAMP_NTZ",
    "spark.sql.session.timeZone": "UTC",
    # checkpointed verdicts unioned: Spark 4.3's constraint rewrite of the union fails
    # ("key not found: _source_line#…"); the loader's plans gain nothing from it
    "spark.sql.constraintPropagation.enabled": "false",
}
_ORDER = ["customers", *(name for name in ENTITIES if name != "customers")]
_Q_TYPES = ("string", "string", "bigint", "string", "string", "string")


def _check_collapse(quarantine: Any, rows_in: dict[str, int]) -> None:
    """collapse.py's rule: one systematic defect taking most of a file's rows rejects the batch."""
    found = (
        quarantine.filter(f"reason in ('{keys.DUPLICATE}', '{WRONG_TYPE}')")
        .filter(~quarantine.entity.isin(list(DO_NOT_CONTACT)))
        .groupBy("source_file", "reason", "column_name")
        .agg({"source_line": "count"})
        .collect()
    )
    for source_file, reason, column, n in sorted(found, key=lambda r: tuple(map(str, r))):
        total = rows_in.get(source_file, 0)
        if n >= MIN_ROWS and n >= MAX_SHARE * total:
            raise BatchRejected(source_file, f"{n} of {total} rows have a {reason} in '{column}'")


def load_landing_on_spark(
    spark: Any, landing: Path, as_of: date, run_id: str, config: Any = None, loaded_at: datetime | None = None
) -> SparkLoad:
    """Read `landing` into Spark's (empty) `raw` schema; SparkLoadRefused for what only the DuckDB
    loader reads, BatchRejected as the DuckDB loader rejects, RuntimeError if counts do not add up."""
    for key, value in SESSION_CONF.items():
        spark.conf.set(key, value)
    if spark.catalog.databaseExists("raw") and [
        t for t in spark.catalog.listTables("raw") if not t.isTemporary
    ]:
        raise SparkLoadRefused(
            "Spark's raw schema already holds tables: the Spark loader does first loads only"
        )
    found = discover(landing)
    layouts = layouts_of(found.files, config)
    seen = any(x.file.entity == "customers" for x in layouts)
    quarantine_all = spark.createDataFrame(
        [], ", ".join(f"{n} {t}" for n, t in zip(QUARANTINE_COLUMNS, _Q_TYPES, strict=True))
    )
    tables, rows_in, withheld = {}, {}, None
    for entity in _ORDER:
        mine = [x for x in layouts if x.file.entity == entity]
        if not mine:
            continue
        quarantine_all.createOrReplaceTempView("_quarantine_so_far")
        staged, quarantine, held, counted = load_entity(spark, entity, mine, as_of, seen)
        if entity == "customers":
            staged.createOrReplaceTempView("_staged_customers")
            withheld = held
        tables[entity] = staged
        quarantine_all = quarantine_all.unionAll(quarantine).localCheckpoint()
        rows_in.update(counted)
    _check_collapse(quarantine_all, rows_in)
    return write_raw_tables(
        spark, RawBatch(layouts, tables, quarantine_all, withheld, rows_in), as_of, run_id, loaded_at
    )
