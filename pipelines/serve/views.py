"""The serving DuckDB file as views over its version's Parquet (`RAPPORT_SERVING_DUCKDB=views`).

Writing every table a second time into the DuckDB file was ~60% of publish's CPU at 1M
customers (DECISIONLOG.md, issue 16, helper i18publish). Views cost nothing to write, and a
DuckDB 1.x client reads them, but they name the Parquet by its absolute path: the file works
only where `serving/` is seen at the path it was published under (same host, or a container
mounting the volume at that path), and not once copied elsewhere. Hence opt-in.

DuckDB binds a view when it is created, so the Parquet must already be at its final path:
publish calls this after the version directory got its final name, before `manifest.json`
(a version without one is unfinished; pipelines/serve/sweep.py removes it).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION
from pipelines.serve.manifest import Manifest
from pipelines.serve.version import write_meta


def write_views(version_dir: Path, manifest: Manifest) -> None:
    """One view per published table, over that table's Parquet in `version_dir`, plus meta.manifest."""
    root = version_dir.resolve()
    con = duckdb.connect()
    try:
        con.execute(
            f"attach '{root / DUCKDB_NAME}' as serving (read_write, storage_version '{STORAGE_VERSION}')"
        )
        for table in manifest.tables:
            schema, name = table.name.split(".", 1)
            path = str(root / table.parquet).replace("'", "''")
            con.execute(f'create schema if not exists serving."{schema}"')
            con.execute(f'create view serving."{schema}"."{name}" as select * from read_parquet(\'{path}\')')
        write_meta(con, manifest)
    finally:
        con.close()
