"""How many rows a batch's files of an entity should hold, from the load ledger's history: the
incoming suite's row-count expectation wants the batch within a ratio of it
(expectations/suites/incoming.py, row_ratio)."""

from __future__ import annotations

import duckdb

from pipelines.warehouse import table_exists

HISTORY_FILES = 30  # recent committed files whose mean size predicts a file's size
MIN_HISTORY = 3


def expected_rows(con: duckdb.DuckDBPyConnection, entity: str) -> float | None:
    """The rows the staged files of `entity` should hold: their count times the mean rows of the
    entity's last committed files; None with fewer than MIN_HISTORY of them (no basis yet)."""
    if not (table_exists(con, "raw", "_load_ledger") and table_exists(con, "incoming", "_files")):
        return None
    n_files, mean, history = con.execute(
        "select (select count(*) from incoming._files where entity = $e), avg(rows_in), count(*) from"
        " (select rows_in from raw._load_ledger where entity = $e and source_file not in"
        " (select source_file from incoming._files) order by loaded_at desc, source_file desc limit $n)",
        {"e": entity, "n": HISTORY_FILES},
    ).fetchall()[0]
    return float(mean) * n_files if history >= MIN_HISTORY and n_files else None
