"""Every table of schemas marts and segments copied out of the warehouse into a staged version.

`tables` (the default): each table into the version's own DuckDB file (storage v1.0.0, so a
DuckDB 1.x client opens it anywhere; mostly distinct strings declared FSST, serve/compression.py),
then its Parquet from that copy, so both formats hold exactly the same rows. `views`: only the
Parquet, straight from the warehouse query; the DuckDB file gets views over it once the version
has its final path (pipelines/serve/views.py).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb

from pipelines.files import file_sha256
from pipelines.serve.compression import column_definitions
from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION
from pipelines.serve.manifest import TableEntry
from pipelines.serve.privacy import PiiMode, private_select

SCHEMAS = ("marts", "segments")


def _parquet(
    con: duckdb.DuckDBPyConnection, source: str, schema: str, table: str, staging: Path
) -> TableEntry:
    """`source` (a table, or a query in parentheses) as the table's Parquet file."""
    parquet = Path("parquet") / schema / f"{table}.parquet"
    # COPY answers with the rows it wrote: the manifest's count is the file's, with no second scan
    copied = con.execute(f"copy {source} to '{staging / parquet}' (format parquet, compression zstd)")
    (rows,) = copied.fetchall()[0]
    return TableEntry(
        name=f"{schema}.{table}", rows=rows, parquet=str(parquet), sha256=file_sha256(staging / parquet)
    )


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
    entries = []
    for schema, table, columns in tables:
        (staging / "parquet" / schema).mkdir(parents=True, exist_ok=True)
        # history marts keep every run's rows; a version shows only what was known on its date
        dated = f"as_of_date <= date '{as_of.isoformat()}'" if "as_of_date" in columns else None
        select = private_select(con, f'"{schema}"."{table}"', pii, erased, dated)
        if views:
            entries.append(_parquet(con, f"({select})", schema, table, staging))
            continue
        con.execute(f'create schema if not exists serving."{schema}"')
        target = f'serving."{schema}"."{table}"'
        definitions = column_definitions(con, select)  # FSST declared where nothing else wins
        if definitions:
            con.execute(f"create table {target} ({definitions})")
            con.execute(f"insert into {target} {select}")
        else:
            con.execute(f"create table {target} as {select}")
        entries.append(_parquet(con, target, schema, table, staging))
    return entries
