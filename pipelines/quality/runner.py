"""Run a suite over a pandas frame through a GX checkpoint and translate the outcome.

The context is ephemeral, configured from the committed expectations/gx/great_expectations.yml
with its stores redirected: suites, validation definitions and checkpoints live in memory
(the suites are code), GX validation results and data docs go under <quality_dir>/<run_id>/,
so nothing is ever written into the repository.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # offline: never phone home

import great_expectations as gx  # must follow the analytics switch
import pandas as pd
import yaml
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.base import DataContextConfig

from pipelines.quality.result import ExpectationOutcome, SuiteResult
from pipelines.settings import get_settings

MAX_EXAMPLES = 5


def _context(run_dir: Path) -> Any:
    run_dir = run_dir.resolve()  # GX store backends demand absolute paths
    config = yaml.safe_load((get_settings().expectations_dir / "gx/great_expectations.yml").read_text())
    for store in config["stores"].values():
        store["store_backend"] = {"class_name": "InMemoryStoreBackend"}
    # On disk so the data docs index lists every suite of the run, across processes.
    config["stores"]["validation_results_store"]["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(run_dir / "gx" / "validations"),
    }
    for site in config["data_docs_sites"].values():
        site["store_backend"]["base_directory"] = str(run_dir / "data_docs")
    config["analytics_enabled"] = False
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(**config))


def run_suite(
    suite: gx.ExpectationSuite,
    frame: pd.DataFrame,
    batch: str,
    run_id: str,
    run_dir: Path,
    index_columns: Sequence[str] = (),
    data_docs: bool = True,
) -> SuiteResult:
    """Validate `frame`; `index_columns` identify offending rows in the examples.

    `data_docs=False` skips GX's HTML rendering (~0.7 s per suite, mostly jinja compiling
    its templates anew each time); the JSON results and index.html are written regardless.
    """
    frame = frame.reset_index(drop=True)  # example rows are looked up by index label
    index_columns = [c for c in index_columns if c in frame.columns]
    context = _context(run_dir)
    batch_definition = (
        context.data_sources.add_pandas("rapport")
        .add_dataframe_asset(batch)
        .add_batch_definition_whole_dataframe("whole")
    )
    suite = context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite.name}.{batch}", data=batch_definition, suite=suite)
    )
    # Not GX's unexpected_index_column_names: it builds a dict per unexpected row in Python
    # before truncating (17 s on 1M rows with 18% bad); we look up the few examples instead.
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{suite.name}.{batch}",
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if data_docs else [],
            result_format=result_format,
        )
    )
    run = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_id))
    (validation,) = run.run_results.values()
    outcomes = tuple(_outcome(r, frame, index_columns) for r in validation.results)
    return SuiteResult(suite.name, batch, run_id, len(frame), outcomes)


def _outcome(result: Any, frame: pd.DataFrame, index_columns: Sequence[str]) -> ExpectationOutcome:
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
        examples = [_value(v) for v in details["partial_unexpected_list"]]
    elif "observed_value" in details and not result.success:
        examples = [f"observed {_value(details['observed_value'])}"]
    else:
        examples = []
    meta = config.meta or {}
    severity = meta.get("severity", "critical")
    observed = _value(details["observed_value"]) if "observed_value" in details else None
    success = bool(result.success)
    if not success and severity == "warning" and _all_empty(frame, checked):
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
        expected=_expected(config.type, kwargs),
        observed=observed,
    )


def _bound(value: Any) -> str | None:
    """GX stores bounds as floats: 100.0 reads as 100, 500000.0 as 500,000."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) else _value(value)


def _all_empty(frame: pd.DataFrame, columns: list[str]) -> bool:
    return bool(columns) and all(c in frame.columns and bool(frame[c].isna().all()) for c in columns)


def _expected(kind: str, kwargs: dict[str, Any]) -> str | None:
    """The bounds of an expectation in words (None when its name says it all)."""
    low, high = (_bound(kwargs.get(k)) for k in ("min_value", "max_value"))
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    if kwargs.get("value_set") is not None:
        values = [_value(v) for v in kwargs["value_set"]]
        return "one of " + ", ".join(values[:8]) + (", ..." if len(values) > 8 else "")
    if "not_be_null" in kind:
        return "no empty values"
    if "unique" in kind:
        return "no duplicates"
    return None


def _error(info: Any) -> str | None:
    # GX nests exception info per metric when a metric fails to compute.
    infos = info.values() if isinstance(info, dict) and "raised_exception" not in info else [info]
    messages = {i.get("exception_message") for i in infos if isinstance(i, dict)}
    messages.discard(None)
    return "; ".join(sorted(str(m) for m in messages)) or None


def _value(value: Any) -> str:
    if not isinstance(value, list | tuple | dict) and pd.isna(value):  # None, NaN, NaT, NA
        return "null"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def _row(frame: pd.DataFrame, label: Any, checked: list[str], ids: Sequence[str]) -> str:
    lineage = ("_source_file", "_source_line")
    value = "/".join(_value(frame.at[label, c]) for c in checked if c not in lineage)
    others = [c for c in ids if c not in checked or c in lineage]
    where = []
    if "_source_file" in others and "_source_line" in others:
        source, line = frame.at[label, "_source_file"], frame.at[label, "_source_line"]
        where.append(f"at {source!s}:{_value(line)}")
        others = [c for c in others if c not in ("_source_file", "_source_line")]
    where += [f"{c}={_value(frame.at[label, c])}" for c in others]
    return f"{value} ({', '.join(where)})" if where else value
