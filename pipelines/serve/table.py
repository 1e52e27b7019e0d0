"""One published table: its rows into the version's DuckDB file, then its Parquet from that copy.

Shared by publish (serve/copy.py) and a backfill's re-issue (serve/reissue.py), so both write
the serving file alike (mostly distinct strings declared FSST, serve/compression.py) and the
Parquet with the same settings. zstd level 1, not DuckDB's default 3: at 1M customers the 36
files are as large (590.6 against 591.5 MiB) for ~17% less of the Parquet step's CPU
(DECISIONLOG.md, issue 16, helper i20publish).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.files import file_sha256
from pipelines.serve.compression import column_definitions
from pipelines.serve.manifest import TableEntry

PARQUET = "format parquet, compression zstd, compression_level 1"


def serve_table(
    con: duckdb.DuckDBPyConnection, select: str, schema: str, table: str, staging: Path, into_file: bool
) -> TableEntry:
    """`select`'s rows as `serving.<schema>.<table>` (attached by the caller) and its Parquet read
    from there; without `into_file`, only the Parquet, straight from `select`."""
    source = f"({select})"
    if into_file:
        con.execute(f'create schema if not exists serving."{schema}"')
        source = f'serving."{schema}"."{table}"'
        definitions = column_definitions(con, select)  # FSST declared where nothing else wins
        if definitions:
            con.execute(f"create table {source} ({definitions})")
            con.execute(f"insert into {source} {select}")
        else:
            con.execute(f"create table {source} as {select}")
    return _parquet(con, source, schema, table, staging)


def _parquet(
    con: duckdb.DuckDBPyConnection, source: str, schema: str, table: str, staging: Path
) -> TableEntry:
    """`source` (a table, or a query in parentheses) as the table's Parquet file."""
    parquet = Path("parquet") / schema / f"{table}.parquet"
    (staging / parquet).parent.mkdir(parents=True, exist_ok=True)
    # COPY answers with the rows it wrote: the manifest's count is the file's, with no second scan
    copied = con.execute(f"copy {source} to '{staging / parquet}' ({PARQUET})")
    (rows,) = copied.fetchall()[0]
    return TableEntry(
        name=f"{schema}.{table}", rows=rows, parquet=str(parquet), sha256=file_sha256(staging / parquet)
    )
