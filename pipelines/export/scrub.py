"""Which rows of an export file belong to an erased person, deciding once per distinct cell.

A row is theirs when any cell, read through the identity rule (the CSV-injection quote and
padding dropped, then as written, lower case, email key, phone key), is a forbidden token,
or a form whose keyed hash was remembered (pipelines/forget: the warehouse no longer knows
it). That verdict depends on the cell's text alone, so it is computed in DuckDB once per
distinct text over the whole sweep: every day folder repeats most of the same customers'
cells (and a day's full list repeats its `.added` file), so later files cost a hash lookup
instead of the regex-heavy identity macros and two SHA-256 per form (DECISIONLOG).
"""

from __future__ import annotations

import operator
from collections.abc import Iterable
from functools import reduce

import duckdb
import polars as pl

from pipelines.export.erased import install_hmac
from pipelines.identity import install
from pipelines.settings import get_settings

# The forms are listed in one projection before they are unnested: `unnest([macro(v), ...])`
# costs 2.4x as much (4.6 against 1.9 s CPU on 600k texts, same verdicts). Each form carries
# `h`, its lower case for the keyed hash, or NULL when an earlier form of the same text lowers
# to the same string: a text's four forms mostly lower to one or two (a hash, a number, a plain
# address), and hashing every form cost half as much again as the whole query (1.1M texts:
# 6.6 -> 4.4 s CPU, same verdicts, same memory: nothing is materialised).
# A text has a phone key only if its squashed form holds 9 to 17 digits and '+' (the key's two
# patterns: '+' and 8-15 digits, '00' and 8-15 digits), so the key is computed only there:
# extracting them is the key's global regex replace, the dearest form of all (the 2.3M texts of
# a 1M day folder: 4.3 -> 2.8 s CPU for the key, the same keys). They are counted by one regex
# full match (9 to 17 runs of a digit or '+' and what follows it up to the next): `length -
# length(translate(...))` counted the same but cost 6x as much (100k texts: 0.24 -> 0.04 s CPU).
PHONE_KEY = """case when regexp_full_match(rapport_squash(v), '[^0-9+]*(?:[0-9+][^0-9+]*){9,17}')
    then rapport_phone_key(v) end"""
MATCH = """
with cells as (select value, ltrim(trim(value), '''') as v from _values),
keyed as (select value, v, lower(v) as lv, rapport_email_key(v) as ek, {phone_key} as pk from cells),
listed as (select value, [
    {'form': v, 'h': lv},
    {'form': lv, 'h': case when lower(lv) is distinct from lv then lower(lv) end},
    {'form': ek, 'h': case when lower(ek) is distinct from lv and lower(ek) is distinct from lower(lv)
        then lower(ek) end},
    {'form': pk, 'h': case when lower(pk) is distinct from lv and lower(pk) is distinct from lower(lv)
        and lower(pk) is distinct from lower(ek) then lower(pk) end}
] as forms from keyed),
forms as (select value, unnest(forms, recursive := true) from listed)
select distinct value from forms where form in (select token from _forbidden){remembered}
"""
MATCH = MATCH.replace("{phone_key}", PHONE_KEY)
REMEMBERED = " or rapport_hmac(h) in (select d from _digests)"


def _columns(frame: pl.DataFrame) -> list[pl.Series]:
    return [frame[c].cast(pl.String) for c in frame.columns]


def cell_texts(frame: pl.DataFrame) -> pl.Series:
    """The distinct texts of a frame's cells (numbers as their text), nulls left out."""
    columns = _columns(frame)
    if not columns:
        return pl.Series("value", [], dtype=pl.String)
    return pl.concat(columns).drop_nulls().unique().rename("value")


def without(frame: pl.DataFrame, bad: pl.Series) -> pl.DataFrame:
    """`frame` minus the rows of which any cell (as text) is in `bad`."""
    if bad.is_empty():
        return frame
    hit = reduce(
        operator.or_,
        (t.is_in(bad.implode()).fill_null(False) for t in _columns(frame)),
        pl.repeat(False, frame.height, eager=True),
    )
    return frame.filter(~hit) if hit.any() else frame


class Scrubber:
    """Judges cell texts against the erasures; remembers every text it has judged."""

    def __init__(self, forbidden: frozenset[str], digests: frozenset[str]) -> None:
        self._con = duckdb.connect()
        # the export's cap: uncapped (80% of RAM) it was the export's largest working set on an
        # erasure day at 10M customers (DECISIONLOG, i20export)
        self._con.execute(f"set memory_limit = '{get_settings().export_memory_limit}'")  # validated
        install(self._con)
        self._query = MATCH.replace("{remembered}", "")
        if digests:  # only then is the erasure key needed
            install_hmac(self._con)
            self._query = MATCH.replace("{remembered}", REMEMBERED)
        tokens = pl.DataFrame({"token": sorted(forbidden)}, schema={"token": pl.String})
        self._con.register("_forbidden", tokens.to_arrow())
        self._con.register(
            "_digests", pl.DataFrame({"d": sorted(digests)}, schema={"d": pl.String}).to_arrow()
        )
        self._seen = pl.Series("value", [], dtype=pl.String)
        self._bad: set[str] = set()
        self.judged = 0  # texts sent to DuckDB so far: what the cache saved shows in tests/profiles

    def close(self) -> None:
        self._con.close()

    def judge(self, texts: Iterable[pl.Series]) -> pl.Series:
        """Judge the texts not judged yet (all of them in one query, each once) and return every
        judged text that marks a row as an erased person's. One lookup in what was already judged
        per call: the sweep calls it once per folder, with the texts of each of its files."""
        values = pl.concat([pl.Series("value", [], dtype=pl.String), *texts], rechunk=False).unique()
        new = values.filter(~values.is_in(self._seen.implode()))
        del values
        if not new.is_empty():
            self._con.register("_values", new.to_frame("value").to_arrow())
            try:
                self._bad.update(v for (v,) in self._con.execute(self._query).fetchall())
            finally:
                self._con.unregister("_values")
            self._seen = pl.concat([self._seen, new], rechunk=False)
            self.judged += new.len()
        return pl.Series("bad", sorted(self._bad), dtype=pl.String)
