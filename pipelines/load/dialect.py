"""The few spellings in which the loader's rule SQL differs between DuckDB and Spark SQL.

The rules (casts.py, rules.py, keys.py, withheld.py) are written once and rendered for
either engine: the Spark loader (pipelines/spark_load.py) runs the very same conditions.
Spark's session is set up so that everything else reads alike (spark_load.SESSION_CONF:
double-quoted identifiers, backslashes kept in string literals, `timestamp` meaning a
timestamp without time zone, the session zone UTC); what cannot be set is spelled here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Dialect:
    name: str

    def full_match(self, text: str, pattern: str) -> str:
        """`text` matches the whole of `pattern` (a single-quoted SQL regex literal)."""
        if self.name == "duckdb":
            return f"regexp_full_match({text}, {pattern})"
        # Java's find() with anchors; \z, not $: `$` also matches before a final line break
        return f"regexp_like({text}, '^(?:' || {pattern} || ')\\z')"

    def find(self, text: str, pattern: str) -> str:
        """`pattern` occurs somewhere in `text`."""
        return (
            f"regexp_matches({text}, {pattern})"
            if self.name == "duckdb"
            else f"regexp_like({text}, {pattern})"
        )

    def to_utc(self, text: str) -> str:
        """Text with an explicit offset, as the UTC timestamp (no zone) it names."""
        if self.name == "duckdb":
            return f"timezone('UTC', try_cast({text} as timestamptz))"
        return f"cast(try_cast({text} as timestamp_ltz) as timestamp_ntz)"  # session zone is UTC

    def whole(self, text: str, type_: str) -> str:
        """Text of a whole number ('3', ' 3 ', '3.0') as an integer type, NULL if it does not fit."""
        if self.name == "duckdb":
            return f"try_cast({text} as {type_})"
        # Spark (ANSI) reads no '3.0' as an integer; through a decimal it does (fractions are
        # kept out by the caller, so nothing is rounded)
        return f"try_cast(try_cast({text} as decimal(38, 0)) as {type_})"

    def as_text(self, value: str) -> str:
        return f"{value}::varchar" if self.name == "duckdb" else f"cast({value} as string)"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")
