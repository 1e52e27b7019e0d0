"""The distinct values of a union of columns that are erased people's (match.py says why).

Only one batch of values (streamed from DuckDB) and the values queued for one Aho-Corasick pass
are held in memory; DuckDB's distinct stays under the connection's cap (it spills).
"""

from __future__ import annotations

import re

import duckdb
import polars as pl

from pipelines.forget.bounds import bounded
from pipelines.forget.ids import is_id
from pipelines.forget.tokens import Tokens
from pipelines.identity import install

# bytes: the hashes (64 hex digits) are the forms this long; few values are
_LONG = 64
_HEX = re.compile(r"[0-9a-f]{64}")
_RUNS = r"[0-9a-f]{64,}"


def _hashed(frame: pl.DataFrame, hashes: frozenset[str]) -> list[str]:
    """The values whose lower case holds one of `hashes` (64 hex digits, counted anywhere): such a
    value holds a run of 64 or more hex digits with the hash in it, so its runs are looked up in a
    set (a run longer than 64 by each of its windows): the cost of a value does not grow with the
    hashes, as an automaton's scan did (it outgrows the caches: DECISIONLOG, i27forget, i28forget)."""
    if not hashes:
        return []
    runs = (
        frame.filter(pl.col("low").str.len_bytes() >= _LONG)
        .select("v", run=pl.col("low").str.extract_all(_RUNS))
        .explode("run")
        .drop_nulls("run")
    )
    exact = runs.filter(pl.col("run").str.len_bytes() == _LONG)
    found = exact.filter(pl.col("run").is_in(pl.Series(list(hashes), dtype=pl.String).implode()))["v"]
    windows = [
        v
        for v, run in runs.filter(pl.col("run").str.len_bytes() > _LONG).iter_rows()
        if any(run[i : i + _LONG] in hashes for i in range(len(run) - _LONG + 1))
    ]
    return list(dict.fromkeys([*found.to_list(), *windows]))


def _texts(frames: list[pl.DataFrame], texts: list[str], anywhere: frozenset[str]) -> list[str]:
    """The values whose lower case holds a form at a boundary of its kind (bounds.py): an
    Aho-Corasick pass of every value over the forms without '@' shorter than _LONG bytes, of the
    values with '@' over the forms with it, of the values of _LONG bytes or more over the longer
    forms but the hashes (a form occurs only in a value that holds its characters); the few that
    hold a form are looked at. The hashes are looked up (_hashed), not scanned for. Each other form
    is in one of the three automata, and a value is scanned only by those its characters allow (the
    scan slows as an automaton outgrows the caches)."""
    if not frames or not texts:
        return []
    # one chunk: polars builds an automaton for every chunk it scans (a pass of 4 batches built 4,
    # and the candidates' extract_many 4 more: 1.2 s each at 10x the 1M day's forms)
    frame = pl.concat(frames, rechunk=True)
    low = pl.col("low")
    # the hashes are looked up whole, not scanned for; a value they find is theirs wherever they sit
    hexes = frozenset(t for t in anywhere if _HEX.fullmatch(t))
    texts = [t for t in texts if t not in hexes]
    found = _hashed(frame, hexes)
    passes = (
        ([t for t in texts if "@" not in t and len(t.encode()) < _LONG], None),
        ([t for t in texts if "@" in t], low.str.contains("@", literal=True)),
        ([t for t in texts if "@" not in t and len(t.encode()) >= _LONG], low.str.len_bytes() >= _LONG),
    )
    held = [
        (frame if rows is None else frame.filter(rows)).filter(low.str.contains_any(forms))
        for forms, rows in passes
        if forms
    ]
    if not held:
        return found
    theirs = bounded(pl.concat(held, rechunk=True).unique("v", maintain_order=True), texts, anywhere)
    return list(dict.fromkeys([*found, *theirs]))


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
