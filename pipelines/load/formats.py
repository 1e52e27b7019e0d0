"""Rewrite a file's dates and amounts into the contract's text form, when the data decides how.

Runs on the untyped (text) rows before the rules cast them, file by file and column by column,
all in DuckDB. Values that already cast are left alone, so contract-shaped files are untouched.
A format is taken from the landing config when it sets one; otherwise it is detected from the
values that do not cast, and applied only when it explains at least MIN_SHARE of the column's
values: one stray `12,50` among ISO amounts is a defect to quarantine, a column of `₹3,443.07`
is an export format. Dates are rewritten only when most of a file's dates need it. When the
values fit two readings equally (every day <= 12; only `1,234`) the batch is refused with the
landing-config key that decides it. Values the chosen format does not read stay as they were
and are quarantined as the wrong type, with their raw text.
"""

from __future__ import annotations

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.amount_text import number_sql
from pipelines.load.config import EntityFormat
from pipelines.load.errors import BatchRejected
from pipelines.load.numbers import detect_number
from pipelines.load.schema import ident, untyped

# A detected format must read at least this share of a file's non-blank values in a column,
# and at least MIN_VALUES of them: one odd value in a one-row daily file is a defect, not a format.
MIN_SHARE = 0.01
MIN_VALUES = 2
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %I:%M%p")
DAY_FIRST = tuple(f"%d{s}%m{s}%Y{t}" for s in "/-." for t in _TIMES)
MONTH_FIRST = tuple(f"%m{s}%d{s}%Y{t}" for s in "/-." for t in _TIMES)
_NAMED_DAYS = ("%d-%b-%Y", "%d %b %Y", "%d-%B-%Y", "%d %B %Y", "%b %d, %Y")
NAMED = tuple(f"{d}{t}" for d in _NAMED_DAYS for t in _TIMES)


def _failing(column: str, sql_type: str) -> str:
    """Non-blank text of the column that the contract's own cast does not read. The plain cast
    goes first: it reads almost every value, and DuckDB then skips the trims for those rows."""
    col = ident(column)
    return (
        f"try_cast({col} as {sql_type}) is null and trim({col}) <> ''"
        f" and try_cast(trim({col}) as {sql_type}) is null"
    )


def _key(entity: str, name: str) -> str:
    return f"landing config entities.{entity}.{name}"


def _parsed(value: str, formats: tuple[str, ...] | list[str]) -> str:
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in formats)
    return f"try_strptime({value}, [{listed}])"


def _date_formats(
    con: duckdb.DuckDBPyConnection, entity: str, column: str, sql_type: str
) -> dict[str | None, tuple[str, ...]]:
    """Formats per file for one date column, decided from the values that do not cast."""
    table = untyped(entity)
    # the formats are tried on the failing values only (a filtered aggregate's argument is
    # still computed for every row): 14 date columns at 100k customers took 209 s, now seconds
    rows = con.execute(
        f"with _failing as (select _source_file, trim({ident(column)}) as _v from {table}"
        f" where {_failing(column, sql_type)}),"
        " _per_file as (select _source_file, count(*) as _n, count("
        f"{_parsed('_v', DAY_FIRST)}) as _day, count({_parsed('_v', MONTH_FIRST)}) as _month,"
        f" count({_parsed('_v', NAMED)}) as _named, any_value(_v) as _example from _failing group by all)"
        f" select _source_file, count(*) filter (where trim({ident(column)}) <> ''), _n, _day,"
        f" _month, _named, _example from {table} join _per_file using (_source_file)"
        " group by all order by all"
    ).fetchall()
    chosen: dict[str | None, tuple[str, ...]] = {}
    for source_file, total, failing, day, month, named, example in rows:
        # an export writes every date one way: a file mostly in the contract's form is read as
        # such, and its few other dates are defects (quarantined)
        if 2 * failing <= total or max(day, month, named) < max(MIN_VALUES, MIN_SHARE * total):
            continue
        if day == month and day > 0 and named == 0:
            raise BatchRejected(
                source_file,
                f"dates in '{column}' such as {example!r} read both day-first and month-first"
                f" (no day above 12): set {_key(entity, 'date_formats')}, e.g. ['%d/%m/%Y %H:%M']",
            )
        chosen[source_file] = (DAY_FIRST if day > month else MONTH_FIRST if month > day else ()) + NAMED
    return chosen


def _rewrite_dates(
    con: duckdb.DuckDBPyConnection, entity: str, column: str, sql_type: str, fmt: EntityFormat | None
) -> list[str]:
    col = f"trim({ident(column)})"
    iso = "%Y-%m-%d" if sql_type == "date" else "%Y-%m-%d %H:%M:%S"
    if sql_type == "timestamp":  # Shopify's '14:05:11 +0530': DuckDB reads the offset only unspaced
        con.execute(
            f"update {untyped(entity)} set {ident(column)} = regexp_replace({col},"
            f" '(:[0-9]{{2}})\\s+([+-][0-9]{{2}}:?[0-9]{{2}})$', '\\1\\2')"
            f" where regexp_matches({col}, ':[0-9]{{2}}\\s+[+-][0-9]{{2}}:?[0-9]{{2}}$')"
        )
    per_file: dict[str | None, tuple[str, ...]] = {None: tuple(fmt.date_formats)} if fmt else {}
    if not (fmt and fmt.date_formats):
        per_file = _date_formats(con, entity, column, sql_type)
    notes = []
    for source_file, formats in per_file.items():
        where = _failing(column, sql_type) + (" and _source_file = $f" if source_file else "")
        con.execute(
            f"update {untyped(entity)} set {ident(column)} = coalesce(strftime({_parsed(col, formats)},"
            f" '{iso}'), {ident(column)}) where {where}",
            {"f": source_file} if source_file else {},
        )
        notes.append(f"{source_file or entity}: {column} read as {formats[0]} and similar")
    if fmt and fmt.timezone != "UTC" and sql_type == "timestamp":
        # local wall-clock time of the shop -> UTC, as the contract stores it (offsets already converted)
        con.execute(
            f"update {untyped(entity)} set {ident(column)} = strftime(timezone('UTC', timezone($tz,"
            f" try_cast({col} as timestamp))), '%Y-%m-%d %H:%M:%S') where try_cast({col} as timestamp)"
            f" is not null and not regexp_matches({col}, '([+-][0-9]{{2}}(:?[0-9]{{2}})?|Z)$')",
            {"tz": fmt.timezone},
        )
    return notes


def _rewrite_number(
    con: duckdb.DuckDBPyConnection, entity: str, column: str, fmt: EntityFormat | None
) -> list[str]:
    notes = []
    for source_file, convention in detect_number(con, entity, column, fmt, MIN_SHARE, MIN_VALUES).items():
        # a decimal comma makes every value suspect ('1.234' is 1234), a decimal point only the failing
        col = ident(column)
        which = _failing(column, "decimal(18,2)") if convention.decimal == "." else f"trim({col}) <> ''"
        con.execute(
            f"update {untyped(entity)} set {col} = coalesce({number_sql(col, convention)}, {col})"
            f" where {which} and _source_file = $f",
            {"f": source_file},
        )
        notes.append(f"{source_file}: {column} read as {convention.describe()}")
    return notes


def normalise_formats(con: duckdb.DuckDBPyConnection, entity: str, fmt: EntityFormat | None) -> list[str]:
    """Rewrite the entity's date and amount text in place; returns what was detected, per file."""
    notes: list[str] = []
    for column in ENTITIES[entity].columns:
        if column.type in ("timestamp", "date"):
            notes += _rewrite_dates(con, entity, column.name, column.type, fmt)
        elif column.type.startswith("decimal"):
            notes += _rewrite_number(con, entity, column.name, fmt)
    return notes
