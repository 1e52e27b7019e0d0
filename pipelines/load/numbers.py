"""Which amount convention each file uses: currency symbols, thousands grouping, decimal commas.

`₹3,443.07`, `Rs. 1,00,000.00` (Indian grouping), `$1,234.50`, `1.234,56 €` all become the
contract's plain `3443.07`, in SQL over the whole column. Which character is the decimal
separator is decided from values that only one reading fits (`1,234.56`, `12,5`, `1,00,000`);
a file with only `1,234`-like values is ambiguous and refused. A value that breaks the chosen
grouping (`1,23,4.5`) is not rewritten and so is quarantined with its raw text.
"""

from __future__ import annotations

import duckdb

from pipelines.load.amount_text import SYMBOLS, Convention, cleaned_sql, number_sql
from pipelines.load.config import EntityFormat
from pipelines.load.errors import BatchRejected
from pipelines.load.schema import ident, untyped

__all__ = ["SYMBOLS", "Convention", "detect_number", "number_sql"]

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
        # only files with a failing or ambiguous value get the regexes (the files the `having`
        # keeps, with all their rows; the plain cast first spares the trims)
        f" from {table} where _source_file in (select _source_file from {table} where"
        f" (try_cast({ident(column)} as decimal(18,2)) is null and {fails})"
        f" or regexp_full_match({col}, '{_AMBIGUOUS}'))"
        f" group by all having count(*) filter (where {fails}) > 0"
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
