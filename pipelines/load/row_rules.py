"""The row rules of one entity: typed values (`<column>__typed`) and every condition that
quarantines a row, as SQL over `_checked`, rendered for DuckDB or Spark (dialect.py)."""

from __future__ import annotations

from datetime import date, timedelta

from pipelines.contract import EMAIL_EVENT_TYPES, ENTITIES, MAX_AMOUNT, ORDER_STATUSES, Column
from pipelines.identity import WHITESPACE
from pipelines.load.casts import BLANK, EARLIEST, WITHDRAWALS, cast_sql
from pipelines.load.dialect import DUCKDB, Dialect
from pipelines.load.schema import ident

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
