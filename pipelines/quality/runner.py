"""Run a suite through a GX checkpoint and translate the outcome.

The batch is a pandas frame (segment lists), or a staged batch in its own DuckDB file
(the incoming gate): GX then gets a zero-row frame and its metrics from DuckDB
(pipelines/quality/duckdb_engine.py), so no pandas copy of millions of rows is made.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

from pipelines.quality.context import gx_context
from pipelines.quality.duckdb_batch import DuckDBBatch
from pipelines.quality.duckdb_engine import SUPPORTED
from pipelines.quality.outcome import MAX_EXAMPLES, outcome
from pipelines.quality.result import SuiteResult


@dataclass
class Session:
    """Several pandas suites of one run in one GX context, their data docs built once at the
    end (`build_docs`). GX's UpdateDataDocsAction rebuilds the docs index and the suite's page
    after every checkpoint, and a context per suite costs its set-up each time: the segment gate
    validates 14 lists at a time. The pages are the same: each validation's page, the suite's
    page (the last one validated, as when each overwrote it) and the index of the run's folder."""

    context: Any
    validated: list[Any] = field(default_factory=list)  # GX ValidationResultIdentifiers
    suites: dict[str, None] = field(default_factory=dict)  # suite names, in order

    def build_docs(self) -> None:
        if self.validated:
            suites = [ExpectationSuiteIdentifier(name=name) for name in self.suites]
            self.context.build_data_docs(resource_identifiers=[*self.validated, *suites])


def _datasource(context: Any, data: pd.DataFrame | DuckDBBatch) -> Any:
    if isinstance(data, DuckDBBatch):  # one batch file per suite: a session's previous one goes
        if "rapport" in context.data_sources.all():
            context.data_sources.delete("rapport")
        return context.data_sources.add_rapport_duckdb_metrics(
            "rapport", database=str(data.database), source=data.source, order=data.order
        )
    if "rapport" in context.data_sources.all():  # a Session's context: one source, an asset per batch
        return context.data_sources.get("rapport")
    return context.data_sources.add_pandas("rapport")


def run_suite(
    suite: gx.ExpectationSuite,
    data: pd.DataFrame | DuckDBBatch,
    batch: str,
    run_id: str,
    run_dir: Path,
    index_columns: Sequence[str] = (),
    data_docs: bool = True,
    session: Session | None = None,
) -> SuiteResult:
    """Validate `data`; `index_columns` identify offending rows in the examples.

    `data_docs=False` skips GX's HTML rendering (~0.7 s per suite, mostly jinja compiling
    its templates anew each time); the JSON results and index.html are written regardless.
    A DuckDB batch whose suite has an expectation the DuckDB metrics do not cover is read
    into pandas whole, as before. With a `session`, the suite runs in its context and its data
    docs wait for `session.build_docs()`.
    """
    if isinstance(data, DuckDBBatch) and not {e.expectation_type for e in suite.expectations} <= SUPPORTED:
        data = data.frame()
    frame = data.empty_frame() if isinstance(data, DuckDBBatch) else data.reset_index(drop=True)
    columns = list(data.columns)
    index_columns = [c for c in index_columns if c in columns]
    context = session.context if session else gx_context(run_dir)
    batch_definition = (
        _datasource(context, data).add_dataframe_asset(batch).add_batch_definition_whole_dataframe("whole")
    )
    # one name, other bounds per list in a session: its page shows the last, as before
    suite = context.suites.add_or_update(suite) if session else context.suites.add(suite)
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{suite.name}.{batch}", data=batch_definition, suite=suite)
    )
    # Not GX's unexpected_index_column_names: it builds a dict per unexpected row in Python
    # before truncating (17 s on 1M rows with 18% bad); we look up the few examples instead.
    result_format = {"result_format": "SUMMARY", "partial_unexpected_count": MAX_EXAMPLES}
    docs_now = data_docs and session is None
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=f"{suite.name}.{batch}",
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="data_docs")] if docs_now else [],
            result_format=result_format,
        )
    )
    run = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=RunIdentifier(run_name=run_id))
    ((identifier, validation),) = run.run_results.items()
    if session and data_docs:
        session.validated.append(identifier)
        session.suites[suite.name] = None
    rows, all_empty = _lookups(data, validation.results)
    outcomes = tuple(outcome(r, rows, index_columns, all_empty) for r in validation.results)
    row_count = data.row_count if isinstance(data, DuckDBBatch) else len(frame)
    return SuiteResult(suite.name, batch, run_id, row_count, outcomes)


def _lookups(
    data: pd.DataFrame | DuckDBBatch, results: Sequence[Any]
) -> tuple[pd.DataFrame, Callable[[Sequence[str]], bool]]:
    """The example rows by index label, and whether columns are wholly empty."""
    if isinstance(data, pd.DataFrame):
        frame = data.reset_index(drop=True)
        return (
            frame,
            lambda cs: bool(cs) and all(c in frame.columns and bool(frame[c].isna().all()) for c in cs),
        )
    labels = [i for r in results for i in (r.result or {}).get("partial_unexpected_index_list") or []]
    return data.rows(labels), data.all_empty
