"""Amounts as shops export them: currency symbols, thousands grouping, decimal commas.

`₹3,443.07`, `Rs. 1,00,000.00` (Indian grouping), `$1,234.50`, `1.234,56 €` all become the
contract's plain `3443.07`, in SQL over the whole column. Which character is the decimal
separator is decided from values that only one reading fits (`1,234.56`, `12,5`, `1,00,000`);
a file with only `1,234`-like values is ambiguous and refused. A value that breaks the chosen
grouping (`1,23,4.5`) is not rewritten and so is quarantined with its raw text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from pipelines.load.config import EntityFormat
from pipelines.load.errors import BatchRejected
from pipelines.load.schema import ident, untyped

SYMBOLS = ("₹", "Rs.", "Rs", "INR", "US$", "$", "USD", "€", "EUR", "£", "GBP")


@dataclass(frozen=True)
class Convention:
    decimal: str  # '.' or ','
    thousands: str  # ',', '.', ' ', "'" or '' (none)
    symbols: tuple[str, ...] = SYMBOLS

    def describe(self) -> str:
        return f"decimal {self.decimal!r}, thousands {self.thousands or 'none'!r}"


def cleaned_sql(value: str, symbols: tuple[str, ...]) -> str:
    """The value without currency symbols or codes and without blanks (incl. no-break spaces)."""
    alternatives = "|".join(re.escape(s) for s in sorted(symbols, key=len, reverse=True))
    pattern = f"(?i)({alternatives})|[\\s\u00a0\u202f]" if alternatives else "[\\s\u00a0\u202f]"
    return f"regexp_replace({value}, '{pattern.replace(chr(39), chr(39) * 2)}', '', 'g')"


def _grouped(thousands: str, decimal: str) -> str:
    """Regex of a number in Western (1,234,567) or Indian (12,34,567) grouping, or ungrouped."""
    t, d = re.escape(thousands), re.escape(decimal)
    frac = f"({d}[0-9]+)?"
    plain = f"[0-9]+{frac}"
    if not thousands:
        return f"^[+-]?{plain}$"
    western = f"[0-9]{{1,3}}({t}[0-9]{{3}})+{frac}"
    indian = f"[0-9]{{1,2}}({t}[0-9]{{2}})+{t}[0-9]{{3}}{frac}"
    return f"^[+-]?({western}|{indian}|{plain})$"


def number_sql(value: str, c: Convention) -> str:
    """SQL: the value as contract text ('-1234.50'), NULL when it does not fit the convention."""
    text = cleaned_sql(value, c.symbols)
    plain = f"replace({text}, '{c.thousands}', '')" if c.thousands else text
    plain = f"replace({plain}, ',', '.')" if c.decimal == "," else plain
    check = _grouped(c.thousands, c.decimal).replace("'", "''")
    return f"case when regexp_full_match({text}, '{check}') then {plain} end"


# Evidence, on the value with symbols removed. Western/Indian: a dot decimal after comma groups,
# two or more comma groups, or Indian two-digit groups. European: the mirror image.
_COMMA_GROUPS = (
    r"^[+-]?([0-9]{1,3}(,[0-9]{3})+\.[0-9]+|[0-9]{1,3}(,[0-9]{3}){2,}"
    r"|[0-9]{1,2}(,[0-9]{2})+,[0-9]{3}(\.[0-9]+)?)$"
)
_DOT_GROUPS = (
    r"^[+-]?([0-9]{1,3}(\.[0-9]{3})+,[0-9]+|[0-9]{1,3}(\.[0-9]{3}){2,}|[0-9]+,([0-9]{1,2}|[0-9]{4,}))$"
)
_DOT_DECIMAL = r"^[+-]?[0-9]*\.([0-9]{1,2}|[0-9]{4,})$"
_AMBIGUOUS = r"^[+-]?[0-9]{1,3}[.,][0-9]{3}$"


def _config_convention(fmt: EntityFormat) -> Convention | None:
    if fmt.decimal_separator is None and fmt.thousands_separator is None and fmt.currency_symbols is None:
        return None
    decimal = fmt.decimal_separator or "."
    thousands = fmt.thousands_separator
    if thousands is None:
        thousands = "." if decimal == "," else ","
    symbols = tuple(fmt.currency_symbols) if fmt.currency_symbols is not None else SYMBOLS
    return Convention(decimal, thousands, symbols)


def detect_number(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    column: str,
    fmt: EntityFormat | None,
    min_share: float,
    min_values: int = 2,
) -> dict[str, Convention]:
    """Convention per file for files whose values in `column` need one (config first)."""
    col, table = f"trim({ident(column)})", untyped(entity)
    fails = f"{col} <> '' and try_cast({col} as decimal(18,2)) is null"
    c = cleaned_sql(col, SYMBOLS)
    rows = con.execute(
        f"select _source_file, count(*) filter (where {col} <> ''), count(*) filter (where {fails}),"
        f" count(*) filter (where {fails} and regexp_full_match({c}, '{_COMMA_GROUPS}')),"
        f" count(*) filter (where not ({fails}) and regexp_full_match({col}, '{_DOT_DECIMAL}')),"
        f" count(*) filter (where {fails} and regexp_full_match({c}, '{_DOT_GROUPS}')),"
        f" count(*) filter (where {fails} and regexp_full_match({c}, '{_AMBIGUOUS}')),"
        f" count(*) filter (where {fails} and regexp_full_match({c}, '^[+-]?[0-9]+(\\.[0-9]+)?$')),"
        f" count(*) filter (where not ({fails}) and regexp_full_match({col}, '{_AMBIGUOUS}')),"
        f" coalesce(any_value({col}) filter (where {fails}), any_value({col}) filter (where"
        f"   regexp_full_match({col}, '{_AMBIGUOUS}')))"
        f" from {table} group by all having count(*) filter (where {fails}) > 0"
        f" or count(*) filter (where regexp_full_match({col}, '{_AMBIGUOUS}')) > 0 order by all"
    ).fetchall()
    configured = _config_convention(fmt) if fmt else None
    key = f"landing config entities.{entity}.decimal_separator / thousands_separator"
    chosen: dict[str, Convention] = {}
    for (
        source_file,
        total,
        _,
        western,
        dot_decimal,
        european,
        ambiguous,
        symbol_only,
        dotted,
        example,
    ) in rows:
        if configured is not None:
            chosen[source_file] = configured
        elif dotted and not (western or dot_decimal or european):
            # '1.234' casts, to 1.23: money has two decimals, so it may well be 1234 (decimal comma)
            raise BatchRejected(
                source_file,
                f"amounts in '{column}' such as {example!r} read as thousands or as decimals: set {key}",
            )
        # a shop that writes a currency symbol writes it on every amount: a few are defects
        elif western + european + ambiguous + symbol_only * (
            2 * (symbol_only + western + european) >= total
        ) < max(min_values, min_share * total):
            continue  # a few odd values: defects, quarantined
        elif european and european == western + dot_decimal:
            mixed = f"amounts in '{column}' mix 1,234.56 and 1.234,56 styles (e.g. {example!r})"
            raise BatchRejected(source_file, f"{mixed}: set {key}")
        elif european > western + dot_decimal:  # the minority style's values are quarantined
            chosen[source_file] = Convention(",", ".")
        elif western or dot_decimal or not ambiguous:
            chosen[source_file] = Convention(".", ",")
        else:
            raise BatchRejected(
                source_file,
                f"amounts in '{column}' such as {example!r} read as thousands or as decimals: set {key}",
            )
    return chosen
