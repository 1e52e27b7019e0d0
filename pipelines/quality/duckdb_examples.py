"""The first unexpected rows of an expectation, as GX's pandas engine lists them.

A metric's count is one number over the batch; its examples are rows, in batch order, shaped
as GX's pandas metric returns them per domain (a column's values, a pair's tuples, a compound's
records) or, for `unexpected_index_list`, as positions in the batch. Apart from
duckdb_metrics.py, which turns an expectation into SQL and answers the counts.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.quality.duckdb_positions import batch_positions


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _columns(domain: dict[str, Any]) -> list[str]:
    if "column_list" in domain:
        return list(domain["column_list"])
    if "column_A" in domain:
        return [domain["column_A"], domain["column_B"]]
    return [domain["column"]]


def first_unexpected(
    con: duckdb.DuckDBPyConnection, suffix: str, flagged: str, params: list[Any], keys: list[str],
    order: tuple[str, ...], domain: dict[str, Any], limit: int,
    located: dict[int, tuple[Any, ...]] | None = None,
) -> Any:  # fmt: skip
    """Metric `<condition>.<suffix>`'s value from the rows of query `flagged` (its `_unexpected`
    flag, and `keys`: the batch's `order` columns): the first `limit` unexpected rows."""
    columns = _columns(domain)
    first = con.execute(
        f"select {', '.join(keys)}, {', '.join(map(_q, columns))} from ({flagged}) where _unexpected"
        f" order by {', '.join(keys)} limit {limit}",
        params,
    ).df()
    if suffix == "unexpected_index_list":
        found = [tuple(k) for k in first[keys].astype(object).to_numpy().tolist()]
        positions = batch_positions(con, order, found)
        if located is not None:
            located.update(zip(positions, found, strict=True))
        return positions
    if "column_list" in domain:
        return first[columns].to_dict("records")
    if "column_A" in domain:
        return list(zip(first[columns[0]].values, first[columns[1]].values, strict=False))
    return list(first[columns[0]])
