"""Which of a batch of distinct values are one of the erased ids (their id key, whitespace trimmed).

A value whose first and last characters are printable ASCII (33-126) has no whitespace of any
kind at an end, so its id key is the value itself: polars tests it by a hash look-up. Any other
value (rare: an empty string, whitespace or a non-ASCII character at an end) is asked of DuckDB
through the rule itself (`rapport_id_key`). Same answer as `match.id_key_in` on every value
(tests/forget/test_match.py); it moved out of the SQL that streams the values because that
per-value semi-join with its `right(v, 1)` cost more than the distinct values' whole stream
(100k: 2.0 of 6.0 s of CPU; polars' look-up ~0.1 s).
"""

from __future__ import annotations

import itertools

import duckdb
import polars as pl

_names = itertools.count()
# printable ASCII first and last character: no whitespace (of any kind) can sit at an end
_PLAIN = pl.col("v").str.contains(r"^[!-~]") & pl.col("v").str.contains(r"[!-~]$")


def is_id(con: duckdb.DuckDBPyConnection, values: pl.Series, ids: pl.Series) -> pl.Series:
    """For each of `values` (no nulls): its id key is one of `ids`. `con` has the identity macros
    and no open result (the caller's is streaming the values: a cursor of it)."""
    frame = pl.DataFrame({"v": values})
    plain = frame.select(_PLAIN.fill_null(False))["v"]
    found = plain & values.is_in(ids.implode())
    odd = frame.filter(~plain)
    if odd.height:
        name = f"_forget_odd_{next(_names)}"
        con.register(name, odd.to_arrow())
        try:
            keyed = con.execute(
                f"select v from {name} where rapport_id_key(v) in (select unnest($ids::varchar[]))",
                {"ids": ids.to_list()},
            ).fetchall()
        finally:
            con.unregister(name)
        if keyed:
            found = found | (
                ~plain & values.is_in(pl.Series([v for (v,) in keyed], dtype=pl.String).implode())
            )
    return found.fill_null(False).rename("is_id")
