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
from functools import reduce

import duckdb
import polars as pl

from pipelines.export.erased import install_hmac
from pipelines.identity import install

MATCH = """
with cells as (select value, ltrim(trim(value), '''') as v from _values),
forms as (select value, unnest([v, lower(v), rapport_email_key(v), rapport_phone_key(v)]) as form from cells)
select distinct value from forms where form in (select token from _forbidden) or {remembered}
"""


class Scrubber:
    """Drops erased people's rows from frames; remembers every cell text it has judged."""

    def __init__(self, forbidden: frozenset[str], digests: frozenset[str]) -> None:
        self._con = duckdb.connect()
        install(self._con)
        self._remembered = "false"
        if digests:  # only then is the erasure key needed
            install_hmac(self._con)
            self._remembered = "rapport_hmac(lower(form)) in (select d from _digests)"
        tokens = pl.DataFrame({"token": sorted(forbidden)}, schema={"token": pl.String})
        self._con.register("_forbidden", tokens.to_arrow())
        self._con.register(
            "_digests", pl.DataFrame({"d": sorted(digests)}, schema={"d": pl.String}).to_arrow()
        )
        self._seen = pl.Series("value", [], dtype=pl.String)
        self._bad: set[str] = set()

    def close(self) -> None:
        self._con.close()

    def _judge(self, values: pl.Series) -> None:
        new = values.filter(~values.is_in(self._seen.implode()))
        if new.is_empty():
            return
        self._con.register("_values", new.to_frame("value").to_arrow())
        try:
            self._bad.update(
                v for (v,) in self._con.execute(MATCH.format(remembered=self._remembered)).fetchall()
            )
        finally:
            self._con.unregister("_values")
        self._seen = pl.concat([self._seen, new], rechunk=False)

    def scrub(self, frames: list[pl.DataFrame]) -> list[pl.DataFrame]:
        """Each frame without the rows of which any cell (as text) is an erased person's.
        Judged a folder at a time: one lookup in what was already judged per folder."""
        texts = [[f[c].cast(pl.String) for c in f.columns] for f in frames]
        cells = [t for text in texts for t in text]
        if not cells:
            return frames
        self._judge(pl.concat(cells).drop_nulls().unique())
        bad = pl.Series("bad", sorted(self._bad), dtype=pl.String)
        if bad.is_empty():
            return frames
        kept = []
        for frame, text in zip(frames, texts, strict=True):
            hit = reduce(
                operator.or_,
                (t.is_in(bad.implode()).fill_null(False) for t in text),
                pl.repeat(False, frame.height, eager=True),
            )
            kept.append(frame.filter(~hit) if hit.any() else frame)
        return kept
