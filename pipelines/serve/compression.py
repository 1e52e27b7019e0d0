"""The serving file's column definitions, with FSST declared for string columns of mostly distinct values.

DuckDB picks each segment's compression when it writes it, by analysing it with every method
that fits the type. A string column of mostly distinct values (ids, e-mails, phones) always
ends up FSST (ratio of distinct values >= 0.42 in every such column at 1M customers), yet the
dictionary was tried on every segment first: ~30% of the copy's CPU (DECISIONLOG.md, issue 16,
helper i19publish). Declared `using compression fsst`, such a column is analysed with FSST
only (uncompressed stays DuckDB's fall-back). Same rows, same types; a DuckDB 1.x client reads it.
"""

from __future__ import annotations

import duckdb

SAMPLE_ROWS = 122_880  # one row group of the serving file
MIN_ROWS = 2_048  # below: one small segment, nothing worth skipping
# sampled at 1M: dictionary columns <= 0.1 distinct, FSST ones >= 0.42, one mixed column at 0.24
DISTINCT_SHARE = 0.4


def column_definitions(con: duckdb.DuckDBPyConnection, select: str) -> str | None:
    """`name type[ using compression fsst], ...` for a table holding `select`'s rows, or None
    when no column is a mostly distinct string (a plain `create table as` then does)."""
    columns = con.execute(f"select column_name, column_type from (describe {select})").fetchall()
    strings = [name for name, kind in columns if kind == "VARCHAR"]
    if not strings:
        return None
    quoted = {name: '"' + name.replace('"', '""') + '"' for name, _ in columns}
    counts = ", ".join(f"count(distinct {quoted[n]}), count({quoted[n]})" for n in strings)
    sample = con.execute(f"select {counts} from (from ({select}) limit {SAMPLE_ROWS})").fetchall()[0]
    fsst = {
        name
        for i, name in enumerate(strings)
        if sample[2 * i + 1] >= MIN_ROWS and sample[2 * i] >= DISTINCT_SHARE * sample[2 * i + 1]
    }
    if not fsst:
        return None
    declared = [f"{quoted[n]} {kind}" + (" using compression fsst" * (n in fsst)) for n, kind in columns]
    return ", ".join(declared)
