"""The run's quality outcome, read from the warehouse at publish time (readers never need it)."""

from __future__ import annotations

import duckdb

from pipelines.serve.manifest import QualitySummary
from pipelines.warehouse import table_exists


def quality_summary(con: duckdb.DuckDBPyConnection, run_id: str) -> QualitySummary:
    """A suite passes when none of its critical expectations failed; warnings are listed, not fatal."""
    summary = QualitySummary()
    if table_exists(con, "quality", "validation_results"):
        suites = con.execute(
            "select suite || ' / ' || batch, bool_and(success or severity <> 'critical') "
            "from quality.validation_results where run_id = ? group by all",
            [run_id],
        ).fetchall()
        failed = con.execute(
            "select suite || ' / ' || batch || ': ' || expectation "
            "|| coalesce(' (' || \"column\" || ')', '') || ' [' || severity || ']' "
            "from quality.validation_results "
            "where run_id = ? and not success order by all",
            [run_id],
        ).fetchall()
        summary.suites, summary.suites_passed = len(suites), sum(ok for _, ok in suites)
        summary.failed_expectations = [f for (f,) in failed]
    if table_exists(con, "raw", "_load_ledger"):
        loaded, quarantined = con.execute(
            "select coalesce(sum(rows_loaded), 0), coalesce(sum(rows_quarantined), 0) "
            "from raw._load_ledger where run_id = ?",
            [run_id],
        ).fetchall()[0]
        summary.rows_loaded, summary.rows_quarantined = int(loaded), int(quarantined)
    return summary
