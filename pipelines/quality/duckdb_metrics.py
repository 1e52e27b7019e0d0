"""The metrics a suite's expectations ask GX for, computed in DuckDB over a batch table.

Mirrors GX 1.x's pandas metric functions exactly, so that GX's own expectation logic turns
them into the same results as on a pandas frame: which rows count as missing (null, or NaN
in a float column), which are skipped (`filter_column_isnull`, `ignore_row_if`), and the
first unexpected rows in batch order (their rank by the batch's order: the position a pandas
frame would give them).
Regexes are judged by Python's `re` once per distinct value (pandas' `str.contains`), not by
DuckDB's RE2, whose `\\s` and `$` differ. The examples (first unexpected rows) are shaped in
duckdb_examples.py.
"""

from __future__ import annotations

import re
from typing import Any

import duckdb

from pipelines.quality.duckdb_examples import first_unexpected

ROW = "_row"  # the row's position in the batch (its rank in order): GX's pandas index label
CONDITIONS = {
    "column_values.nonnull",
    "column_values.null",
    "column_values.in_set",
    "column_values.between",
    "column_values.match_regex",
    "column_values.unique",
    "compound_columns.unique",
    "column_pair_values.a_greater_than_b",
}
SUFFIXES = {"unexpected_count", "unexpected_values", "unexpected_index_list", "unexpected_index_query",
            "filtered_row_count"}  # fmt: skip
AGGREGATES = {"table.row_count", "column.min", "column.max"}


def handled(name: str) -> bool:
    condition, _, suffix = name.rpartition(".")
    return name in AGGREGATES or (condition in CONDITIONS and suffix in SUFFIXES)


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def missing(column: str, types: dict[str, str]) -> str:
    """pandas' isnull(): NULL, and NaN in a float column (DuckDB's NULL arrives as NaN too)."""
    floating = types[column] in ("DOUBLE", "FLOAT")
    return f"({_q(column)} is null{f' or isnan({_q(column)})' if floating else ''})"


def _bad_matches(con: duckdb.DuckDBPyConnection, column: str, regex: str, types: dict[str, str]) -> list[str]:
    """The distinct values that pandas' `astype(str).str.contains(regex)` rejects."""
    pattern = re.compile(regex)
    values = con.execute(f"select distinct {_q(column)} from batch where not {missing(column, types)}")
    return [v for (v,) in values.fetchall() if not pattern.search(str(v))]


Misses = dict[tuple[str, str], list[str]]  # (column, regex) -> the values it rejects, per batch


def condition_sql(
    con: duckdb.DuckDBPyConnection, condition: str, domain: dict[str, Any], value: dict[str, Any],
    types: dict[str, str], misses: Misses | None = None,
) -> tuple[str, str, list[Any]]:  # fmt: skip
    """(rows considered, unexpected among them, parameters) as SQL over table `batch`.

    `misses` keeps a regex's rejected values for the batch: GX asks for an expectation's count
    and, in a later call, its examples; each read and tested every distinct value again."""
    if condition == "compound_columns.unique":
        columns = list(domain["column_list"])
        assert domain.get("ignore_row_if", "all_values_are_missing") == "all_values_are_missing"
        keep = "not (" + " and ".join(missing(c, types) for c in columns) + ")"
        return keep, f"count(*) over (partition by {', '.join(map(_q, columns))}) > 1", []
    if condition == "column_pair_values.a_greater_than_b":
        a, b = domain["column_A"], domain["column_B"]
        assert domain.get("ignore_row_if") == "either_value_is_missing"
        keep = f"not {missing(a, types)} and not {missing(b, types)}"
        return keep, f"not ({_q(a)} {'>=' if value.get('or_equal') else '>'} {_q(b)})", []
    column = domain["column"]
    gone = missing(column, types)
    if condition == "column_values.nonnull":
        return "true", gone, []
    if condition == "column_values.null":
        return "true", f"not {gone}", []
    if condition == "column_values.in_set":
        return f"not {gone}", f"not list_contains(?, {_q(column)})", [list(value["value_set"])]
    if condition == "column_values.between":
        low, high = value.get("min_value"), value.get("max_value")
        x = f"cast({_q(column)} as double)"  # as in the pandas frame (decimals arrive as float64)
        ok = []
        if low is not None:
            ok.append(f"{x} {'>' if value.get('strict_min') else '>='} {float(low)!r}")
        if high is not None:
            ok.append(f"{x} {'<' if value.get('strict_max') else '<='} {float(high)!r}")
        return f"not {gone}", f"not ({' and '.join(ok)})", []
    if condition == "column_values.match_regex":
        known = {} if misses is None else misses
        if (column, value["regex"]) not in known:
            known[column, value["regex"]] = _bad_matches(con, column, value["regex"], types)
        bad = known[column, value["regex"]]
        return f"not {gone}", f"list_contains(?::varchar[], {_q(column)})", [bad]
    if condition == "column_values.unique":
        return f"not {gone}", f"count(*) over (partition by {_q(column)}) > 1", []
    # run_suite sends a suite with any other expectation to pandas (duckdb_engine.SUPPORTED)
    raise ValueError(
        f"metric condition {condition!r} is not computed in DuckDB (known: {', '.join(sorted(CONDITIONS))})"
    )


def metric_value(
    con: duckdb.DuckDBPyConnection, name: str, domain: dict[str, Any], value: dict[str, Any],
    types: dict[str, str], misses: Misses | None = None, order: tuple[str, ...] = ("rowid",),
    located: dict[int, tuple[Any, ...]] | None = None,
) -> Any:  # fmt: skip
    """The value GX's pandas engine would compute for metric `name` on the whole batch, whose
    rows are in `order` (a position is a rank by it; `located` keeps each example's keys)."""
    assert domain.get("row_condition") is None, "row conditions are not computed in DuckDB"
    if name == "table.row_count":
        return con.execute("select count(*) from batch").fetchall()[0][0]
    if name in ("column.min", "column.max"):
        fn = name.removeprefix("column.")
        return con.sql(f"select {fn}({_q(domain['column'])}) as v from batch").df()["v"].iloc[0]
    condition, _, suffix = name.rpartition(".")
    keep, unexpected, params = condition_sql(con, condition, domain, value, types, misses)
    # the unexpected flag over the considered rows (a window counts only those rows)
    keys = [f"_o{i}" for i in range(len(order))]
    by = ", ".join(f"{o} as {k}" for o, k in zip(order, keys, strict=True))
    flagged = f"select *, {by}, {unexpected} as _unexpected from batch where {keep}"
    if suffix == "filtered_row_count":
        return con.execute(f"select count(*) from batch where {keep}").fetchall()[0][0]
    if suffix == "unexpected_count":
        return con.execute(f"select count(*) from ({flagged}) where _unexpected", params).fetchall()[0][0]
    if suffix == "unexpected_index_query":
        return None  # only returned when asked for (`return_unexpected_index_query`), never here
    limit = min(value["result_format"]["partial_unexpected_count"], 200)  # GX's MAX_RESULT_RECORDS
    return first_unexpected(con, suffix, flagged, params, keys, order, domain, limit, located)
