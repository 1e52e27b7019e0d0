"""Gate a loaded-but-uncommitted batch (`incoming.orders`) before it is merged into raw."""

from __future__ import annotations

from pathlib import Path

from expectations.suites.incoming_orders import DEFAULT_MAX_AMOUNT, SUITE_NAME, build_suite
from pipelines.quality.report import persist
from pipelines.quality.result import SuiteResult
from pipelines.quality.runner import run_suite
from pipelines.warehouse import connect

BATCH = "incoming.orders"


def validate_incoming(
    warehouse: Path,
    run_id: str,
    quality_dir: Path,
    *,
    max_amount: float = DEFAULT_MAX_AMOUNT,
    data_docs: bool = True,
) -> SuiteResult:
    """Validate `incoming.orders`; a missing or empty table is nothing to validate (success).

    Returns the result (persisted under quality_dir/run_id); the caller decides whether to
    stop, typically with `result.raise_for_failures()`.
    """
    with connect(warehouse, read_only=True) as con:
        # fetchall, not fetchone: duckdb 2 refuses new work while a result is unfinished.
        exists = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema = 'incoming' and table_name = 'orders'"
        ).fetchall()[0][0]
        # Decimals arrive as float64, which GX compares natively (object Decimals are slow).
        frame = con.sql("select * from incoming.orders").df() if exists else None
    if frame is None or frame.empty:
        return persist(SuiteResult(SUITE_NAME, BATCH, run_id, row_count=0), quality_dir)
    result = run_suite(
        build_suite(max_amount),
        frame,
        BATCH,
        run_id,
        quality_dir / run_id,
        index_columns=("_source_file", "_source_line"),
        data_docs=data_docs,
    )
    return persist(result, quality_dir)
