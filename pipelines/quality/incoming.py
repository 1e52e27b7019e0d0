"""Gate a staged-but-uncommitted batch (`incoming.*`) before it is merged into raw.

One suite per entity that matters (expectations/suites/incoming.py); every staged entity
with a suite is validated and persisted, then the caller decides whether to stop.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import duckdb
import great_expectations as gx

from expectations.suites.incoming import SPECS, Thresholds
from expectations.suites.incoming import build_suite as build_entity_suite
from expectations.suites.incoming_orders import DEFAULT_MAX_AMOUNT, SUITE_NAME
from expectations.suites.incoming_orders import build_suite as build_orders_suite
from pipelines.quality.context import gx_context
from pipelines.quality.duckdb_open import hold
from pipelines.quality.frames import LINEAGE, Staged, read_staged
from pipelines.quality.report import persist
from pipelines.quality.result import QualityGateFailed, SuiteResult
from pipelines.quality.runner import Session, run_suite
from pipelines.warehouse import connect

SUITE_ENTITIES = tuple(SPECS)  # orders, customers, order_lines, returns, nps_responses, email_events


def _suite(entity: str, thresholds: Thresholds, max_amount: float) -> gx.ExpectationSuite:
    if entity == "orders":
        return build_orders_suite(max_amount, thresholds)
    return build_entity_suite(entity, thresholds)


def _read(
    con: duckdb.DuckDBPyConnection, held: str, entity: str, base: Thresholds, max_amount: float, into: Path
) -> tuple[gx.ExpectationSuite, Staged] | None:
    # Dates are bounded once the as-of date is known: ask for the event-time column anyway.
    wanted = {*_columns(_suite(entity, base, max_amount)), SPECS[entity][0]}
    batch = read_staged(con, entity, wanted, into=into, in_place=held)
    if batch is None:
        return None
    t = replace(base, as_of=batch.as_of or base.as_of, expected_rows=batch.expected_rows)
    return _suite(entity, t, max_amount), batch


def _columns(suite: gx.ExpectationSuite) -> set[str]:
    """Every column an expectation of `suite` reads."""
    found: set[str] = set()
    for expectation in suite.expectations:
        kwargs = expectation.configuration.kwargs
        found.update(kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs)
        found.update(kwargs.get("column_list") or ())
    return found


def validate_incoming_batch(
    warehouse: Path,
    run_id: str,
    quality_dir: Path,
    *,
    entities: tuple[str, ...] = SUITE_ENTITIES,
    thresholds: Thresholds | None = None,
    max_amount: float = DEFAULT_MAX_AMOUNT,
    data_docs: bool = True,
) -> tuple[SuiteResult, ...]:
    """Validate every staged entity in `entities`; an entity with no staged rows is skipped.

    `thresholds` overrides the defaults; the as-of date and the expected batch size always
    come from the staged batch and the load ledger. One entity's frame at a time (the peak
    is the largest entity, not all of them), holding only the columns its suite reads, read
    where they are staged: GX's metrics are computed in DuckDB over a view of the staged rows,
    on one read-only warehouse connection held (with the warehouse lock) for the whole gate, so
    the batch cannot change under it; no copy and no pandas frame of the rows is made.
    """
    base = thresholds or Thresholds()
    done: list[SuiteResult] = []
    quality_dir.mkdir(parents=True, exist_ok=True)
    run_dir = quality_dir / run_id
    session = Session(gx_context(run_dir))  # one GX context for every suite, data docs once
    held = str(warehouse)
    try:
        with (
            tempfile.TemporaryDirectory(prefix=".gate-", dir=quality_dir) as scratch,
            connect(warehouse, read_only=True) as con,
            hold(held, con),
        ):
            for entity in entities:
                found = _read(con, held, entity, base, max_amount, Path(scratch) / f"{entity}.duckdb")
                if found is None:
                    continue
                suite, batch = found
                name = f"incoming.{entity}"
                done.append(run_suite(suite, batch.frame, name, run_id, run_dir, LINEAGE, data_docs, session))
    finally:  # what was validated is reported, also when a later suite breaks GX
        if data_docs:
            session.build_docs()
        persisted = tuple(persist(result, quality_dir) for result in done)
    return persisted


def validate_incoming(
    warehouse: Path,
    run_id: str,
    quality_dir: Path,
    *,
    max_amount: float = DEFAULT_MAX_AMOUNT,
    data_docs: bool = True,
) -> SuiteResult:
    """Validate `incoming.orders` only; nothing staged is nothing to validate (success)."""
    found = validate_incoming_batch(
        warehouse, run_id, quality_dir, entities=("orders",), max_amount=max_amount, data_docs=data_docs
    )
    if found:
        return found[0]
    return persist(SuiteResult(SUITE_NAME, "incoming.orders", run_id, row_count=0), quality_dir)


def gate_incoming_batch(warehouse: Path, run_id: str, quality_dir: Path) -> list[str]:
    """Validate the staged batch; raise QualityGateFailed on a critical failure, else log lines.

    Warnings are returned (and so logged by the task) and kept in the run's report.
    """
    results = validate_incoming_batch(warehouse, run_id, quality_dir)
    if not all(r.success for r in results):
        raise QualityGateFailed(results)
    if not results:  # a second run over unchanged files: say why no suite ran, not just "0"
        return ["incoming gate: 0 suites: nothing new staged (unchanged files were checked when loaded)"]
    warnings = sum(len(r.warnings) for r in results)
    rows = sum(r.row_count for r in results)
    headline = f"incoming gate: {len(results)} suite(s) passed, {warnings} warning(s), {rows:,} rows checked"
    return [headline, *(line for r in results for line in r.summary_lines())]
