"""Type the untyped landing of one entity and sort its rows into good and quarantined.

Each value is cast once (into `_checked`); every rule is then one set-based statement
over the result. Row rules come first; the duplicate key and orphan rules run on the rows
that passed them, so a broken first occurrence does not take a good later one down too.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from pipelines.contract import ENTITIES, Column
from pipelines.load.schema import ident, table_exists, untyped

MISSING = "missing required value"
WRONG_TYPE = "wrong type"
NEGATIVE = "negative value"
FUTURE = "future date"
DUPLICATE = "duplicate key in file"
ORPHAN = "orphan customer_id"

NON_NEGATIVE = frozenset({"quantity", "amount", "refund_amount", "spend", "handling_minutes"})
ANY_DATE = frozenset({"birthday"})  # a birthday is in the past by nature, not a data-quality rule
# DuckDB casts '1.5' to integer 2: only whole numbers are integers ('3.0' from a float column is)
_FRACTION = r"'\s*[+-]?[0-9]+\.0*\s*'"
_OFFSET = r"':[0-9]{2}(\.[0-9]+)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$'"


def typed(column: Column) -> str:
    """SQL turning the text column into the contract type (NULL where it does not fit).

    trim() only runs where the plain cast failed: trimming a million strings costs more
    than the casts themselves, and DuckDB's casts already skip most surrounding blanks.
    """
    text, type_ = ident(column.name), column.type
    trimmed = f"trim({text})"
    if type_ == "varchar":
        return text
    if type_ in ("integer", "bigint", "smallint"):
        whole = f"not contains({text}, '.') or regexp_full_match({text}, {_FRACTION})"
        return f"case when {whole} then try_cast({text} as {type_}) end"
    if type_ == "timestamp":
        # an explicit offset is converted to UTC; no offset means UTC already (contract)
        zoned = f"timezone('UTC', try_cast({trimmed} as timestamptz))"
        plain = f"coalesce(try_cast({text} as timestamp), try_cast({trimmed} as timestamp), {zoned})"
        return f"case when regexp_matches({text}, {_OFFSET}) then {zoned} else {plain} end"
    return f"coalesce(try_cast({text} as {type_}), try_cast({trimmed} as {type_}))"


def _typed_name(column: str) -> str:
    return ident(column + "__typed")


def _row_rules(entity: str, as_of: date) -> list[tuple[str, str, str]]:
    """(column, reason, condition on `_checked`) for every row-level rule."""
    limit = as_of + timedelta(days=1)
    rules = []
    for column in ENTITIES[entity].columns:
        name, value = column.name, _typed_name(column.name)
        blank = f"({ident(name)} is null or regexp_full_match({ident(name)}, '\\s*'))"
        if column.required:
            rules.append((name, MISSING, blank))
        if column.type != "varchar":
            rules.append((name, WRONG_TYPE, f"not {blank} and {value} is null"))
        if name in NON_NEGATIVE:
            rules.append((name, NEGATIVE, f"{value} < 0"))
        if column.type in ("date", "timestamp") and name not in ANY_DATE:
            rules.append((name, FUTURE, f"{value} > {column.type} '{limit.isoformat()}'"))
    return rules


def _quarantine(con: duckdb.DuckDBPyConnection, sql: str, **params: str) -> None:
    con.execute(
        "insert into incoming._quarantine select $entity, _source_file, _source_line, " + sql,
        params,
    )


def apply_rules(con: duckdb.DuckDBPyConnection, entity: str, as_of: date, check_orphans: bool) -> None:
    """Fill incoming.<entity> and incoming._quarantine from the entity's untyped rows."""
    contract = ENTITIES[entity]
    casts = ", ".join(f"{typed(c)} as {_typed_name(c.name)}" for c in contract.columns)
    con.execute(f"create or replace temp table _checked as select *, {casts} from {untyped(entity)}")
    for name, reason, condition in _row_rules(entity, as_of):
        _quarantine(
            con,
            f"$column, {ident(name)}, $reason from _checked where {condition}",
            entity=entity,
            column=name,
            reason=reason,
        )
    clean = (
        "not exists (select 1 from incoming._quarantine q where q.entity = $entity"
        " and q.source_file = t._source_file and q.source_line = t._source_line)"
    )
    keys = ", ".join(_typed_name(k) for k in contract.key)
    values = ", ".join(f"{_typed_name(c)} as {ident(c)}" for c in contract.column_names)
    con.execute(
        f"create or replace temp table _typed as select {values}, _source_file, _source_line,"
        f" row_number() over (partition by _source_file, {keys} order by _source_line)"
        f" as _occurrence from _checked t where {clean}",
        {"entity": entity},
    )
    key_text = "concat_ws('|', " + ", ".join(f"{ident(k)}::varchar" for k in contract.key) + ")"
    _quarantine(
        con,
        f"$column, {key_text}, $reason from _typed where _occurrence > 1",
        entity=entity,
        column=",".join(contract.key),
        reason=DUPLICATE,
    )
    orphan = "false"
    if check_orphans and entity != "customers" and "customer_id" in contract.column_names:
        known = "select customer_id from incoming.customers"
        if table_exists(con, "raw", "customers"):
            known += " union all select customer_id from raw.customers"
        orphan = f"not exists (select 1 from ({known}) k where k.customer_id = t.customer_id)"
        _quarantine(
            con,
            f"'customer_id', customer_id, $reason from _typed t where _occurrence = 1 and {orphan}",
            entity=entity,
            reason=ORPHAN,
        )
    columns = ", ".join(ident(c) for c in contract.column_names)
    con.execute(
        f"insert into incoming.{ident(entity)} select {columns}, _source_file, _source_line"
        f" from _typed t where _occurrence = 1 and not ({orphan})"
    )
    con.execute("drop table _checked; drop table _typed")
