"""One entity's rows on Spark through the DuckDB loader's row and key rules (spark_load.py).

The rules are the SQL pipelines/load generates, rendered for Spark (pipelines/load/dialect.py);
each step's result is checkpointed, so a later step's plan does not re-read the files.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pipelines.contract import ENTITIES
from pipelines.load import keys
from pipelines.load import orphans as orphan_rule
from pipelines.load.dialect import SPARK
from pipelines.load.formats import MIN_SHARE, MIN_VALUES
from pipelines.load.row_rules import NO_IDENTIFIER, checked_sql, no_identifier_rule, row_rules, typed_values
from pipelines.load.schema import ident
from pipelines.load.withheld import opt_outs_sql
from pipelines.spark_read import SparkLoadRefused, check_rows, read_entity

QUARANTINE_COLUMNS = ("entity", "source_file", "source_line", "column_name", "value", "reason")


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
    return spark.sql(" union all ".join(parts)).toDF(*QUARANTINE_COLUMNS)


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
    return bad.selectExpr(f"{_lit(entity)}", "*").toDF(*QUARANTINE_COLUMNS)


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


def load_entity(spark: Any, entity: str, layouts: list[Any], as_of: date, seen: bool) -> tuple[Any, ...]:
    """One entity's landing files through the loader's rules on Spark: its staged rows, its
    quarantine (QUARANTINE_COLUMNS), the withheld opt-outs (customers only) and rows in per file."""
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
