"""Record suite results in the warehouse (`quality.validation_results`) for trend queries."""

from __future__ import annotations

from collections.abc import Iterable

import duckdb
import pandas as pd

from pipelines.quality.result import SuiteResult

DDL = """
create schema if not exists quality;
create table if not exists quality.validation_results (
    run_id varchar not null,
    suite varchar not null,
    batch varchar not null,
    expectation varchar not null,
    "column" varchar,
    success boolean not null,
    unexpected_count bigint,
    severity varchar not null
)
"""

COLUMNS = [
    "run_id",
    "suite",
    "batch",
    "expectation",
    "column",
    "success",
    "unexpected_count",
    "severity",
]


def append_results(con: duckdb.DuckDBPyConnection, results: Iterable[SuiteResult]) -> int:
    """Append one row per expectation; the caller holds the writer connection.

    A retried task must not double-count, so rows of the same (run_id, suite, batch) are
    replaced rather than appended twice; runs inside the caller's transaction if one is
    open. Returns the number of rows written.
    """
    results = list(results)
    rows = pd.DataFrame(
        [
            {
                "run_id": suite.run_id,
                "suite": suite.suite,
                "batch": suite.batch,
                "expectation": r.expectation,
                "column": r.column,
                "success": r.success,
                "unexpected_count": r.unexpected_count,
                "severity": r.severity,
            }
            for suite in results
            for r in suite.results
        ],
        columns=COLUMNS,
    ).astype({"unexpected_count": "Int64", "column": "object"})
    con.execute(DDL)
    # No explicit transaction: the caller may already have one open (DuckDB cannot nest).
    for suite in results:
        con.execute(
            "delete from quality.validation_results where run_id = ? and suite = ? and batch = ?",
            [suite.run_id, suite.suite, suite.batch],
        )
    con.register("_rapport_validation_rows", rows)
    try:
        con.execute("insert into quality.validation_results by name select * from _rapport_validation_rows")
    finally:
        con.unregister("_rapport_validation_rows")
    return len(rows)
