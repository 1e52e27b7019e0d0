"""The counts a suite asks GX for, answered from one scan of the batch.

GX asks for its metrics one by one (each expectation's unexpected count, rows considered, first
unexpected rows and their positions), and `metric_value` answers each with its own query: about
four scans of the batch per expectation. Here every count of a per-row condition, the row count,
and each min and max are aggregates of a single select, so the batch is read once for them; and
the first unexpected rows are only looked for when the count says there are some (on a clean
batch, never). `unique` and compound `unique` flag a row by counting its partners in a window;
their count here is a group-by instead (the rows in groups of more than one, NULLs grouped
together as `partition by` does), a hash aggregate rather than a sort of the batch.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from pipelines.quality.duckdb_metrics import Misses, condition_sql

WINDOWED = {"column_values.unique", "compound_columns.unique"}
EXAMPLES = {"unexpected_values", "unexpected_index_list"}


def _key(condition: str, domain: dict[str, Any], value: dict[str, Any]) -> str:
    """One expectation's condition: its count and its examples share it (result format aside)."""
    value = {k: v for k, v in value.items() if k != "result_format"}
    return json.dumps([condition, domain, value], sort_keys=True, default=str)


def _in_groups(con: duckdb.DuckDBPyConnection, keep: str, by: list[str]) -> int:
    """Rows considered that share their values of `by` with another: the window's count > 1."""
    columns = ", ".join('"' + c.replace('"', '""') + '"' for c in by)
    groups = f"select count(*) as n from batch where {keep} group by {columns}"
    return int(con.execute(f"select coalesce(sum(n), 0) from ({groups}) where n > 1").fetchall()[0][0])


def answer_in_one_scan(
    con: duckdb.DuckDBPyConnection, metrics: list[Any], types: dict[str, str], misses: Misses | None = None
) -> dict[Any, Any]:
    """Metric id -> value for every metric of `metrics` one scan of table `batch` answers; the
    rest (window conditions, examples where there are unexpected rows) are left to the caller.
    A scan that fails (a cast a condition cannot make) answers nothing, so each metric then
    fails or succeeds on its own, as before."""
    columns: dict[str, str] = {}  # select expression alias -> expression
    params: list[Any] = []
    wanted: list[tuple[Any, str, str]] = []  # (metric id, alias, suffix)
    conditions: dict[str, str] = {}  # condition key -> alias of its unexpected count
    groups: dict[str, tuple[str, list[str]]] = {}  # alias -> (rows considered, unique columns)
    for m in metrics:
        name, domain, value = m.metric_name, dict(m.metric_domain_kwargs), dict(m.metric_value_kwargs or {})
        if name == "table.row_count":
            expr = "count(*)"
        elif name in ("column.min", "column.max"):
            expr = f'{name.removeprefix("column.")}("{domain["column"].replace(chr(34), chr(34) * 2)}")'
        else:
            condition, _, suffix = name.rpartition(".")
            if suffix == "unexpected_index_query":
                continue
            key = _key(condition, domain, value)
            if key not in conditions:
                keep, unexpected, found = condition_sql(con, condition, domain, value, types, misses)
                conditions[key] = alias = f"u{len(conditions)}"
                columns[f"k{alias}"] = f"count(*) filter (where {keep})"
                if condition in WINDOWED:
                    groups[alias] = (keep, domain.get("column_list") or [domain["column"]])
                else:
                    columns[alias] = f"count(*) filter (where ({keep}) and ({unexpected}))"
                    params.extend(found)
            kept = "k" if suffix == "filtered_row_count" else ""
            wanted.append((m.id, kept + conditions[key], suffix))
            continue
        alias = f"a{len(columns)}"
        columns[alias] = expr
        wanted.append((m.id, alias, name))
    if not wanted:
        return {}
    select = ", ".join(f"{expr} as {alias}" for alias, expr in columns.items())
    try:
        frame = con.execute(f"select {select} from batch", params).df()
        counts = {alias: _in_groups(con, keep, by) for alias, (keep, by) in groups.items()}
    except duckdb.Error:
        return {}
    answers: dict[Any, Any] = {}
    for metric_id, alias, kind in wanted:
        got = counts[alias] if alias in counts else frame[alias].iloc[0]
        if kind in EXAMPLES:
            if int(got) == 0:  # what metric_value returns when no row is unexpected
                answers[metric_id] = []
        elif kind in ("unexpected_count", "filtered_row_count", "table.row_count"):
            answers[metric_id] = int(got)
        else:
            answers[metric_id] = got  # min / max as pandas reads them, like metric_value
    return answers
