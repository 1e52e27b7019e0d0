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

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pipelines.contract import DO_NOT_CONTACT, ENTITIES
from pipelines.load import keys
from pipelines.load import orphans as orphan_rule
from pipelines.load.collapse import MAX_SHARE, MIN_ROWS
from pipelines.load.dialect import SPARK
from pipelines.load.discover import discover
from pipelines.load.errors import BatchRejected
from pipelines.load.formats import MIN_SHARE, MIN_VALUES
from pipelines.load.row_rules import (
    NO_IDENTIFIER,
    WRONG_TYPE,
    checked_sql,
    no_identifier_rule,
    row_rules,
    typed_values,
)
from pipelines.load.schema import ident
from pipelines.load.withheld import opt_outs_sql
from pipelines.spark_raw import RawBatch, SparkLoad, write_raw_tables
from pipelines.spark_read import SparkLoadRefused, check_rows, layouts_of, read_entity

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
_Q = ("entity", "source_file", "source_line", "column_name", "value", "reason")
_Q_TYPES = ("string", "string", "bigint", "string", "string", "string")


def _sql(spark: Any, query: str, **params: str) -> Any:
    """The loader's `$name` parameters as Spark's `:name` markers."""
    return spark.sql(re.sub(r"\$(\w+)", r":\1", query), args=params or None)


def _lit(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _row_verdicts(spark: Any, entity: str, as_of: date) -> Any:
    """Every row rule's verdicts on `_checked`, as one union (one Spark job, not one per rule)."""
    parts = [
        f"select {_lit(entity)}, _source_file, _source_line, {_lit(name)}, {ident(name)}, {_lit(reason)}"
        f" from _checked where {condition}"
        for name, reason, condition in row_rules(entity, as_of, SPARK)
    ]
    nobody = no_identifier_rule(entity, SPARK)
    if nobody:
        column, values, blank = nobody
        parts.append(
            f"select {_lit(entity)}, _source_file, _source_line, {_lit(column)}, {values},"
            f" {_lit(NO_IDENTIFIER)} from _checked where {blank}"
        )
    return spark.sql(" union all ".join(parts)).toDF(*_Q)


def _key_verdicts(spark: Any, entity: str, check_orphans: bool) -> Any:
    """keys.py's verdicts on `_typed`: duplicates, then (with `_key_bad` holding those) orphans."""
    contract = ENTITIES[entity]
    text = keys.key_text(entity, SPARK)
    params = {"column": ",".join(contract.key), "dup": keys.DUPLICATE, "across": keys.DUPLICATE_ACROSS}
    bad = _sql(spark, keys.duplicates_sql(entity, contract.key, text), **params)
    bad = bad.toDF("_source_file", "_source_line", "column_name", "value", "reason").localCheckpoint()
    bad.createOrReplaceTempView("_key_bad")
    no_orphans = entity in ("customers", "suppressions", "erasures")
    if check_orphans and not no_orphans and "customer_id" in contract.column_names:
        staged = ("_staged_customers", "_customer_ids_seen")
        known = orphan_rule.known_customers(staged, ("_quarantine_so_far",))
        orphans = _sql(spark, orphan_rule.orphans_sql(known), reason=keys.ORPHAN)
        orphans = orphans.toDF(*bad.columns).localCheckpoint()
        bad = bad.unionAll(orphans).localCheckpoint()
        bad.createOrReplaceTempView("_key_bad")  # the staged rows are `_typed` less every key verdict
    return bad.selectExpr(f"{_lit(entity)}", "*").toDF(*_Q)


def _check_formats(spark: Any, entity: str) -> None:
    """Refuse what the DuckDB loader might read as an export format (formats.py): a file's date
    or amount column where at least MIN_VALUES and MIN_SHARE of the non-blank values do not cast."""
    columns = [c for c in ENTITIES[entity].columns if c.type in ("date", "timestamp") or "decimal" in c.type]
    if not columns:
        return
    aggregates = ", ".join(
        f"count_if(trim({ident(c.name)}) <> '' and {ident(c.name + '__typed')} is null),"
        f" count_if(trim({ident(c.name)}) <> '')"
        for c in columns
    )
    for row in spark.sql(f"select _source_file, {aggregates} from _checked group by _source_file").collect():
        for i, c in enumerate(columns):
            failing, total = row[1 + 2 * i], row[2 + 2 * i]
            if failing >= MIN_VALUES and failing >= MIN_SHARE * total:
                raise SparkLoadRefused(
                    f"{row[0]}: {failing} of {total} {c.name} values are not in the contract's format"
                    " (the DuckDB loader may read them as an export format; the Spark loader does not)"
                )


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


def _load_entity(spark: Any, entity: str, layouts: list[Any], as_of: date, seen: bool) -> tuple[Any, ...]:
    rows = read_entity(spark, layouts)
    rows_in = check_rows(spark, rows, layouts)
    rows.drop("_order", "_corrupt").createOrReplaceTempView("_rows")
    checked = spark.sql(checked_sql(entity, as_of, "select * from _rows", SPARK)).localCheckpoint()
    checked.createOrReplaceTempView("_checked")
    _check_formats(spark, entity)
    verdicts = _row_verdicts(spark, entity, as_of).localCheckpoint()
    verdicts.createOrReplaceTempView("_row_bad")
    clean = (
        "not exists (select 1 from _row_bad q where q.source_file = t._source_file"
        " and q.source_line = t._source_line)"
    )
    spark.sql(
        f"select {typed_values(entity)}, _source_file, _source_line from _checked t where {clean}"
    ).createOrReplaceTempView("_typed")
    if entity == "customers":
        spark.sql(
            "select customer_id from _checked where customer_id is not null"
        ).localCheckpoint().createOrReplaceTempView("_customer_ids_seen")
    bad = _key_verdicts(spark, entity, seen).localCheckpoint()
    quarantine = verdicts.unionAll(bad).localCheckpoint()
    quarantine.createOrReplaceTempView("_entity_quarantine")
    columns = ", ".join(ident(c) for c in ENTITIES[entity].column_names)
    staged = spark.sql(
        f"select {columns}, _source_file, _source_line from _typed t where not exists (select 1"
        " from _key_bad b where b._source_file = t._source_file and b._source_line = t._source_line)"
    ).localCheckpoint()
    withheld = (
        spark.sql(opt_outs_sql("_entity_quarantine")).localCheckpoint() if entity == "customers" else None
    )
    return staged, quarantine, withheld, rows_in


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
        [], ", ".join(f"{n} {t}" for n, t in zip(_Q, _Q_TYPES, strict=True))
    )
    tables, rows_in, withheld = {}, {}, None
    for entity in _ORDER:
        mine = [x for x in layouts if x.file.entity == entity]
        if not mine:
            continue
        quarantine_all.createOrReplaceTempView("_quarantine_so_far")
        staged, quarantine, held, counted = _load_entity(spark, entity, mine, as_of, seen)
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
