"""Run the DuckDB statement that reads a group of landing files; its failure is the files' fault."""

from __future__ import annotations

import duckdb

from pipelines.load.errors import BatchRejected
from pipelines.load.header import Layout


def run_reader(
    con: duckdb.DuckDBPyConnection, layouts: list[Layout], sql: str, params: dict[str, str] | None = None
) -> None:
    """Execute `sql` with `$paths` bound to the files; a DuckDB error rejects the batch, naming the
    file the error names when it names one."""
    try:
        con.execute(sql, {"paths": [str(x.file.path) for x in layouts], **(params or {})})
    except duckdb.Error as e:
        culprit = next((x.file.source_file for x in layouts if str(x.file.path) in str(e)), None)
        names = culprit or ", ".join(x.file.source_file for x in layouts)
        raise BatchRejected(names, f"unreadable file ({e})") from e
