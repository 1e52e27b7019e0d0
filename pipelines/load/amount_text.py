"""Amount text as shops export it (`₹3,443.07`, `Rs. 1,00,000.00`, `1.234,56 €`) rewritten to
the contract's plain `3443.07` under a chosen convention, in SQL over the whole column."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
