"""Translate one GX expectation result into an ExpectationOutcome, examples looked up by row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from pipelines.quality.expected import expected
from pipelines.quality.result import ExpectationOutcome
from pipelines.quality.shown import shown

MAX_EXAMPLES = 5


def outcome(
    result: Any,
    frame: pd.DataFrame,
    index_columns: Sequence[str],
    all_empty: Callable[[Sequence[str]], bool],
) -> ExpectationOutcome:
    """`frame` holds at least the example rows, by GX's index label; `all_empty(columns)`
    says whether the batch has no value at all in those columns."""
    config = result.expectation_config
    kwargs = config.kwargs
    checked = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
    checked += list(kwargs.get("column_list") or [])
    details = result.result or {}
    examples: list[str]
    if "partial_unexpected_index_list" in details:
        rows = details["partial_unexpected_index_list"]
        examples = [_row(frame, label, checked, index_columns) for label in rows]
    elif "partial_unexpected_list" in details:
        examples = [shown(v) for v in details["partial_unexpected_list"]]
    elif "observed_value" in details and not result.success:
        examples = [f"observed {shown(details['observed_value'])}"]
    else:
        examples = []
    meta = config.meta or {}
    severity = meta.get("severity", "critical")
    observed = shown(details["observed_value"]) if "observed_value" in details else None
    success = bool(result.success)
    if not success and severity == "warning" and all_empty(checked):
        # an optional column this shop does not fill (e.g. no currency column): not a warning
        success, observed, examples = True, "empty (optional column, not provided)", []
    return ExpectationOutcome(
        expectation=config.type,
        column=",".join(checked) or None,
        success=success,
        severity=severity,
        unexpected_count=details.get("unexpected_count"),
        examples=tuple(examples[:MAX_EXAMPLES]),
        error=_error(result.exception_info),
        why=meta.get("why"),
        expected=expected(config.type, kwargs),
        observed=observed,
    )


def _error(info: Any) -> str | None:
    # GX nests exception info per metric when a metric fails to compute.
    infos = info.values() if isinstance(info, dict) and "raised_exception" not in info else [info]
    messages = {i.get("exception_message") for i in infos if isinstance(i, dict)}
    messages.discard(None)
    return "; ".join(sorted(str(m) for m in messages)) or None


def _row(frame: pd.DataFrame, label: Any, checked: list[str], ids: Sequence[str]) -> str:
    lineage = ("_source_file", "_source_line")
    value = "/".join(shown(frame.at[label, c]) for c in checked if c not in lineage)
    others = [c for c in ids if c not in checked or c in lineage]
    where = []
    if "_source_file" in others and "_source_line" in others:
        source, line = frame.at[label, "_source_file"], frame.at[label, "_source_line"]
        where.append(f"at {source!s}:{shown(line)}")
        others = [c for c in others if c not in ("_source_file", "_source_line")]
    where += [f"{c}={shown(frame.at[label, c])}" for c in others]
    return f"{value} ({', '.join(where)})" if where else value
