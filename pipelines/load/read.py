"""Read one group of same-header landing files into the entity's untyped table, as text.

DuckDB's native readers do the parsing: CSV in read_csv.py, Parquet here with
`file_row_number` (a Parquet row's line is its row number + 1, the header being line 1).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.load.header import Layout
from pipelines.load.read_csv import read_csv_group
from pipelines.load.scan import run_reader
from pipelines.load.schema import ident, insert_target, untyped


def _register_paths(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> None:
    paths = pa.table(
        {
            "file_idx": pa.array(range(len(layouts)), pa.int32()),
            "filename": [str(x.file.path) for x in layouts],
            "source_file": [x.file.source_file for x in layouts],
        }
    )
    con.register("_paths", paths)


def _read_parquet(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> dict[str, int]:
    entity = layouts[0].file.entity
    pick = [f"r.{ident(name)}" for name in layouts[0].header]
    columns, values = insert_target(layouts[0], pick)
    run_reader(
        con,
        layouts,
        f"insert into {untyped(entity)} ({columns}, _source_file, _source_line) "
        f"select {values}, p.source_file, r.file_row_number + 1 "
        "from read_parquet($paths, filename=true, file_row_number=true) r "
        "join _paths p on p.filename = r.filename",
    )
    counts = dict(
        con.execute(
            f"select _source_file, count(*) from {untyped(entity)}"
            " where _source_file in (select source_file from _paths) group by all"
        ).fetchall()
    )
    return {x.file.source_file: counts.get(x.file.source_file, 0) for x in layouts}


def read_group(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    """Rows in per source file, and the files whose line numbers are record numbers."""
    _register_paths(con, layouts)
    if layouts[0].file.fmt == "csv":
        rows_in, approximate = read_csv_group(con, layouts)
    else:
        rows_in, approximate = _read_parquet(con, layouts), []
    con.unregister("_paths")
    return rows_in, approximate
