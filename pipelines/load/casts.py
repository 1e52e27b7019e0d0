"""SQL casting one untyped (text) landing column into its contract type."""

from __future__ import annotations

from datetime import date

from pipelines.contract import Column
from pipelines.load.dialect import DUCKDB, Dialect
from pipelines.load.schema import ident

# Before it, a timestamp is a zero or epoch default that leaked through, never a real event.
EARLIEST = date(1970, 1, 2)
BLANK = "'\\s*'"  # a regex literal: nothing but white space
# DuckDB casts '1.5' to integer 2: only whole numbers are integers ('3.0' from a float column is)
_FRACTION = r"'\s*[+-]?[0-9]+\.0*\s*'"
_OFFSET = r"':[0-9]{2}(\.[0-9]+)?\s*(Z|z|[+-][0-9]{2}(:?[0-9]{2})?)\s*$'"


def _typed(column: Column, d: Dialect) -> str:
    """SQL turning the text column into the contract type (NULL where it does not fit).

    trim() only runs where the plain cast failed: trimming a million strings costs more
    than the casts themselves, and DuckDB's casts already skip most surrounding blanks.
    """
    text, type_ = ident(column.name), column.type
    trimmed = f"trim({text})"
    if type_ == "varchar":
        return text
    if type_ in ("integer", "bigint", "smallint"):
        whole = f"not contains({text}, '.') or {d.full_match(text, _FRACTION)}"
        return f"case when {whole} then {d.whole(text, type_)} end"
    if type_ == "timestamp":
        # an explicit offset is converted to UTC; no offset means UTC already (contract)
        zoned = d.to_utc(trimmed)
        plain = f"coalesce(try_cast({text} as timestamp), try_cast({trimmed} as timestamp), {zoned})"
        return f"case when {d.find(text, _OFFSET)} then {zoned} else {plain} end"
    return f"coalesce(try_cast({text} as {type_}), try_cast({trimmed} as {type_}))"


# A consent withdrawal must never be lost to a typo: an unreadable or implausible consent
# flag reads as "no", an unreadable opt-out date as "opted out when this file landed".
WITHDRAWALS = {("customers", "marketing_consent"): "false", ("customers", "unsubscribed_at"): "{as_of}"}


def cast_sql(entity: str, column: Column, as_of: date, d: Dialect = DUCKDB) -> str:
    """The column's value in its contract type, NULL where it does not fit; a consent
    withdrawal that does not read reads as a withdrawal (WITHDRAWALS)."""
    if (entity, column.name) not in WITHDRAWALS:
        return _typed(column, d)
    fallback = WITHDRAWALS[entity, column.name].format(as_of=f"timestamp '{as_of.isoformat()}'")
    text = ident(column.name)
    blank = f"({text} is null or {d.full_match(text, BLANK)})"
    value = _typed(column, d)
    if column.type == "timestamp":  # before 1970 is a zero date leaking through, not a date
        value = f"case when {value} >= timestamp '{EARLIEST.isoformat()}' then {value} end"
    return f"case when {blank} then null else coalesce({value}, {fallback}) end"
