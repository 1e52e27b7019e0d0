"""Every table of schemas marts and segments copied out of the warehouse into a staged version.

`tables` (the default): each table into the version's own DuckDB file (storage v1.0.0, so a
DuckDB 1.x client opens it anywhere; mostly distinct strings declared FSST, serve/compression.py),
then its Parquet from that copy, so both formats hold exactly the same rows. `views`: only the
Parquet, straight from the warehouse query; the DuckDB file gets views over it once the version
has its final path (pipelines/serve/views.py). In `tables`, customer_segment_history is a view
over its periods when they hold its rows (pipelines/serve/history.py): only its Parquet is written.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.serve import history
from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION
from pipelines.serve.manifest import TableEntry
from pipelines.serve.privacy import PiiMode, private_select
from pipelines.serve.table import serve_table

SCHEMAS = ("marts", "segments")


def copy_tables(
    con: duckdb.DuckDBPyConnection, staging: Path, as_of: date, pii: PiiMode, erased: list[str], views: bool
) -> list[TableEntry]:
    """The manifest entries of every published table; with `views` false, leaves the serving
    file attached as `serving` (the caller writes its meta.manifest and detaches it)."""
    tables = con.execute(
        "select table_schema, table_name, list(column_name) from information_schema.columns "
        "where table_catalog = current_database() and table_schema in ? group by all order by all",
        [list(SCHEMAS)],
    ).fetchall()
    if not views:
        options = f"read_write, storage_version '{STORAGE_VERSION}'"
        con.execute(f"attach '{staging / DUCKDB_NAME}' as serving ({options})")
    viewed = not views and history.sound(con, as_of)
    entries = []
    for schema, table, columns in tables:
        # history marts keep every run's rows; a version shows only what was known on its date
        dated = f"as_of_date <= date '{as_of.isoformat()}'" if "as_of_date" in columns else None
        select = private_select(con, f'"{schema}"."{table}"', pii, erased, dated)
        into_file = not views and not (viewed and f"{schema}.{table}" == history.HISTORY)
        entries.append(serve_table(con, select, schema, table, staging, into_file=into_file))
    if viewed:  # after the loop: the view reads the served periods
        history.write_view(con, "serving", history.dates_select(history.HISTORY, as_of))
    return entries
