"""Type the untyped landing of one entity and sort its rows into good and quarantined.

Each value is cast once (into `_checked`); every rule is then one set-based statement
over the result. Row rules come first; the key rules (keys.py) run on the rows that
passed them, so a broken first occurrence does not take a good later one down too.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb

from pipelines.contract import EMAIL_EVENT_TYPES, ENTITIES, MAX_AMOUNT, ORDER_STATUSES, Column
from pipelines.identity import WHITESPACE
from pipelines.load.casts import BLANK, EARLIEST, WITHDRAWALS, cast_sql
from pipelines.load.dialect import DUCKDB, Dialect
from pipelines.load.keys import apply_key_rules
from pipelines.load.numbered import numbered_rows
from pipelines.load.schema import ident
from pipelines.load.withheld import keep_opt_outs

MISSING = "missing required value"
WRONG_TYPE = "wrong type"
NEGATIVE = "negative value"
FUTURE = "future date"
UNKNOWN = "unknown value"
OUT_OF_RANGE = "out of range"
NO_IDENTIFIER = "no identifier"

NON_NEGATIVE = frozenset(
    {"quantity", "amount", "refund_amount", "spend", "handling_minutes", "unit_price", "price", "unit_cost"}
)
ALLOWED = {("orders", "status"): ORDER_STATUSES, ("email_events", "event_type"): EMAIL_EVENT_TYPES}
# Closed intervals beyond which a value is a unit or parsing error rather than a fact: cents
# loaded as euros, a zero-quantity line, an NPS answer off the 0-10 scale.
RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("orders", "amount"): (0, MAX_AMOUNT),
    ("returns", "refund_amount"): (0, MAX_AMOUNT),
    ("order_lines", "quantity"): (1, 10_000),
    ("order_lines", "unit_price"): (0, MAX_AMOUNT),
    ("nps_responses", "score"): (0, 10),
}
EARLIEST_BIRTHDAY = date(1900, 1, 1)


def _typed_name(column: str) -> str:
    return ident(column + "__typed")


# When a row was last changed, not when its event happened: a restated row may carry a later
# status change than the run date, and quarantining it would lose the whole order for good
# (the ledger never reloads a committed file). Staging picks the version known on the as-of date.
STATE_CHANGE_COLUMNS = frozenset({"updated_at", "delivered_at", "unsubscribed_at"})


def _date_rules(column: Column, value: str, as_of: date) -> list[tuple[str, str, str]]:
    # a day of tolerance: a file closed just after midnight UTC carries the next day's first rows
    limit = as_of if column.name == "birthday" else as_of + timedelta(days=1)
    earliest = EARLIEST_BIRTHDAY if column.name == "birthday" else EARLIEST
    too_early = (column.name, OUT_OF_RANGE, f"{value} < {column.type} '{earliest.isoformat()}'")
    if column.name in STATE_CHANGE_COLUMNS:
        return [too_early]
    return [(column.name, FUTURE, f"{value} > {column.type} '{limit.isoformat()}'"), too_early]


def row_rules(entity: str, as_of: date, d: Dialect = DUCKDB) -> list[tuple[str, str, str]]:
    """(column, reason, condition on `_checked`) for every row-level rule."""
    rules = []
    for column in ENTITIES[entity].columns:
        name, value = column.name, _typed_name(column.name)
        blank = f"({ident(name)} is null or {d.full_match(ident(name), BLANK)})"
        if column.required:
            rules.append((name, MISSING, blank))
        if column.type != "varchar":
            rules.append((name, WRONG_TYPE, f"not {blank} and {value} is null"))
        if name in NON_NEGATIVE:
            rules.append((name, NEGATIVE, f"{value} < 0"))
        if (entity, name) in RANGES:
            low, high = RANGES[entity, name]
            # a negative value is quarantined as such; out of range is what is left beyond bounds
            below = f"{value} < {low}" + (f" and {value} >= 0" if name in NON_NEGATIVE else "")
            beyond = f"{value} > {high} or ({below})"
            rules.append((name, OUT_OF_RANGE, beyond))
        if (entity, name) in ALLOWED:
            allowed = ", ".join(f"'{v}'" for v in ALLOWED[entity, name])
            rules.append((name, UNKNOWN, f"not {blank} and {ident(name)} not in ({allowed})"))
        if column.type in ("date", "timestamp") and (entity, name) not in WITHDRAWALS:
            rules += _date_rules(column, value, as_of)
    return rules


def checked_sql(entity: str, as_of: date, rows: str, d: Dialect = DUCKDB) -> str:
    """`rows` (untyped, numbered) with every contract column cast into `<column>__typed`."""
    casts = ", ".join(
        f"{cast_sql(entity, c, as_of, d)} as {_typed_name(c.name)}" for c in ENTITIES[entity].columns
    )
    return f"select *, {casts} from ({rows})"


def no_identifier_rule(entity: str, d: Dialect = DUCKDB) -> tuple[str, str, str] | None:
    """(column, value, condition) of a do-not-contact row naming nobody, if the entity has identifiers."""
    identifiers = ENTITIES[entity].identifiers
    if not identifiers:
        return None
    blank = " and ".join(d.full_match(f"coalesce({ident(c)}, '')", f"'{WHITESPACE}*'") for c in identifiers)
    values = "concat_ws('|', " + ", ".join(f"coalesce({ident(c)}, '')" for c in identifiers) + ")"
    return "|".join(identifiers), values, blank


def typed_values(entity: str) -> str:
    """Select list of the contract columns, typed, under their own names (from `_checked`)."""
    return ", ".join(f"{_typed_name(c)} as {ident(c)}" for c in ENTITIES[entity].column_names)


def _quarantine(con: duckdb.DuckDBPyConnection, sql: str, **params: str) -> None:
    con.execute(
        "insert into incoming._quarantine select $entity, _source_file, _source_line, " + sql,
        params,
    )


def apply_rules(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    as_of: date,
    check_orphans: bool,
    earlier: str | None = None,
    known: tuple[str, str] | None = None,
) -> None:
    """Fill incoming.<entity> and incoming._quarantine from the entity's untyped rows (`earlier`,
    `known`: see apply_key_rules)."""
    con.execute(
        f"create or replace temp table _checked as {checked_sql(entity, as_of, numbered_rows(entity))}"
    )
    for name, reason, condition in row_rules(entity, as_of):
        _quarantine(
            con,
            f"$column, {ident(name)}, $reason from _checked where {condition}",
            entity=entity,
            column=name,
            reason=reason,
        )
    nobody = no_identifier_rule(entity)
    if nobody:  # a do-not-contact row naming nobody cannot be applied: it blocks the export
        column, values, blank = nobody
        _quarantine(
            con,
            f"$column, {values}, $reason from _checked where {blank}",
            entity=entity,
            column=column,
            reason=NO_IDENTIFIER,
        )
    # a view, not a copy: the key rules read a few of its columns, the staging insert all of them
    # once, and it leaves out whatever the quarantine holds by then (key verdicts included)
    clean = (
        f"not exists (select 1 from incoming._quarantine q where q.entity = '{entity}'"
        " and q.source_file = t._source_file and q.source_line = t._source_line)"
    )
    con.execute(
        f"create or replace temp view _typed as select {typed_values(entity)}, _source_file, _source_line"
        f" from _checked t where {clean}"
    )
    apply_key_rules(con, entity, check_orphans, earlier, known)
    if entity == "customers":
        keep_opt_outs(con)
    con.execute("drop view _typed")  # _checked stays for value_loss.py; stage.py drops it
