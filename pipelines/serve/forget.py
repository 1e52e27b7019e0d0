"""Erased people leave the serving versions published before their erasure.

The new version already leaves them out (privacy.py); every other kept version that
still holds one of them is dropped whole, rather than rewritten: a version is immutable
(its manifest, checksums and the DuckDB file's own meta.manifest describe it), and
rewriting one a BI reader may have open is what the one-switch layout exists to avoid.
The version `current` points at is never dropped (a backfill publishes without moving
`current`): it is replaced, and so dropped, by the next forward publish. The small
per-version history files (segment membership, kept after pruning) lose the rows instead.
"""

from __future__ import annotations

import os
import shutil

import duckdb

from pipelines.serve.layout import Serving


def holds(con: duckdb.DuckDBPyConnection, files: list[str], ids: list[str]) -> bool:
    for path in files:
        columns = {c for (c,) in con.execute(f"select name from parquet_schema('{path}')").fetchall()}
        if (
            "customer_id" in columns
            and con.execute(
                f"select count(*) from read_parquet('{path}') where customer_id in (select unnest($ids))",
                {"ids": ids},
            ).fetchall()[0][0]
        ):
            return True
    return False


def forget_erased(serving: Serving, erased: list[str], protect: set[str]) -> list[str]:
    """Drop every version but `protect` holding an erased customer id; filter the history
    files; returns the dropped version names."""
    if not erased:
        return []
    dropped = []
    con = duckdb.connect()
    try:
        for version in sorted(p for p in serving.versions.iterdir() if p.is_dir()):
            if version.name.startswith(".") or version.name in protect:
                continue
            if holds(con, sorted(str(p) for p in version.rglob("*.parquet")), erased):
                shutil.rmtree(version)
                dropped.append(version.name)
        for path in sorted(serving.history.glob("*.parquet")):
            if holds(con, [str(path)], erased):
                tmp = path.with_name(f".{path.name}.tmp")
                con.execute(
                    f"copy (select * from read_parquet('{path}') where customer_id is null"
                    f" or customer_id not in (select unnest($ids)))"
                    f" to '{tmp}' (format parquet, compression zstd)",
                    {"ids": erased},
                )
                os.replace(tmp, path)
    finally:
        con.close()
    return dropped
