"""Money as the shop sees it: its own currency, grouped the way its people write numbers.

Babel (CLDR data) does the grouping and symbols: en_IN writes ₹1,23,45,678, en writes
€12,345,678. The currency is the orders' own most common one unless settings name one.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass

import duckdb
from babel import Locale
from babel.numbers import format_currency, format_decimal

from pipelines.report.kpis import has_table


@dataclass(frozen=True)
class Money:
    currency: str
    locale: str

    def __call__(self, value: float | None, cents: bool = False) -> str:
        if value is None:
            return "n/a"
        pattern = copy(Locale.parse(self.locale).currency_formats["standard"])
        if not cents:  # whole units: a KPI of ₹1,23,45,678 needs no paise
            pattern.frac_prec = (0, 0)
        return format_currency(
            value, self.currency, format=pattern, locale=self.locale, currency_digits=False
        )

    def number(self, value: float) -> str:
        """A count or plain number, grouped like the money (1,23,456 in en_IN)."""
        return format_decimal(value, locale=self.locale)


def shop_money(con: duckdb.DuckDBPyConnection, currency: str | None, locale: str | None) -> Money:
    has_column = (
        has_table(con, "marts.orders")
        and con.execute(
            "select count(*) from information_schema.columns"
            " where table_schema = 'marts' and table_name = 'orders' and column_name = 'currency'"
        ).fetchall()[0][0]
    )
    if currency is None and has_column:
        found = con.execute(
            "select currency from marts.orders where currency is not null"
            " group by 1 order by count(*) desc, 1 limit 1"
        ).fetchall()
        currency = str(found[0][0]) if found else None
    currency = currency or "EUR"  # the demo shop's; a shop without any currency column sees €
    return Money(currency, locale or ("en_IN" if currency == "INR" else "en"))
