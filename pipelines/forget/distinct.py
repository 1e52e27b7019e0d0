"""The distinct values of a union of columns that are erased people's (match.py says why).

Only one batch of values (streamed from DuckDB) and the values queued for one Aho-Corasick pass
are held in memory; DuckDB's distinct stays under the connection's cap (it spills).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.forget.bounds import bounded
from pipelines.forget.ids import is_id
from pipelines.forget.tokens import Tokens
from pipelines.identity import install


def _texts(frames: list[pl.DataFrame], texts: list[str], anywhere: frozenset[str]) -> list[str]:
    """The values whose lower case holds a form at a boundary of its kind (bounds.py): one
    Aho-Corasick pass over the queued values, then the few that hold a form are looked at."""
    if not frames or not texts:
        return []
    return bounded(pl.concat(frames).filter(pl.col("low").str.contains_any(texts)), texts, anywhere)


def distinct_theirs(con: duckdb.DuckDBPyConnection, union: str, tokens: Tokens, batch_rows: int) -> list[str]:
    """The distinct values `union` (SQL, column `v`) selects that are the people's of `tokens`."""
    ids = pl.Series(sorted(tokens.ids), dtype=pl.String)
    texts = sorted({t.lower() for t in tokens.texts | tokens.hashes})
    hashes = frozenset(t.lower() for t in tokens.hashes)
    odd = con.cursor()  # ids.py asks DuckDB's rule of a rare value while `con` streams
    install(odd)
    # polars builds the automaton on every call (~10 µs a form; a value is scanned in ~0.12 µs): a
    # pass of 100 values a form costs about as much to build as to scan; at most 4 batches queued
    pass_rows = min(4 * batch_rows, max(batch_rows, 100 * len(texts)))
    found: list[str] = []
    waiting: list[pl.DataFrame] = []
    queued = 0
    try:
        batches = con.sql(f"select v, lower(v) as low from (select distinct v from ({union}))")
        for batch in batches.to_arrow_reader(batch_rows):
            frame = pl.from_arrow(batch)
            assert isinstance(frame, pl.DataFrame)
            frame = frame.with_columns(is_id(odd, frame["v"], ids))
            found += frame.filter(pl.col("is_id"))["v"].to_list()
            waiting.append(frame.filter(~pl.col("is_id")).select("v", "low"))
            queued += waiting[-1].height
            if queued >= pass_rows:
                found += _texts(waiting, texts, hashes)
                waiting, queued = [], 0
        return found + _texts(waiting, texts, hashes)
    finally:
        odd.close()
