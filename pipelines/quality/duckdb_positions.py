"""Where rows sit in a batch ordered by some keys, without numbering the whole batch."""

from __future__ import annotations

from typing import Any

import duckdb


def _before(order: tuple[str, ...]) -> str:
    """SQL: the row sorts before the order keys given as parameters (ascending, nulls last)."""
    ands = []
    for i, o in enumerate(order):
        equal = [f"{p} is not distinct from ?" for p in order[:i]]
        less = f"(case when ? is null then {o} is not null else coalesce({o} < ?, false) end)"
        ands.append("(" + " and ".join([*equal, less]) + ")")
    return "(" + " or ".join(ands) + ")"


def batch_positions(
    con: duckdb.DuckDBPyConnection, order: tuple[str, ...], keys: list[tuple[Any, ...]]
) -> list[int]:
    """Each key's position in the batch: the rows that sort before it (keys are unique)."""
    if order == ("rowid",):
        return [int(k[0]) for k in keys]  # a copied batch: its rowid is the position
    if not keys:
        return []
    counts, params = [], []
    for key in keys:
        counts.append(f"count(*) filter (where {_before(order)})")
        for i in range(len(order)):
            params += [*key[:i], key[i], key[i]]
    return [int(n) for n in con.execute(f"select {', '.join(counts)} from batch", params).fetchall()[0]]
