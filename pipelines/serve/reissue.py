"""The current serving version, re-issued without erased people when a backfill publishes.

A backfill publishes an older as-of date without moving `current` (BI keeps the newest
date), so the version BI reads would keep an erased person until the next forward run.
Versions are immutable (checksums, the inner meta.manifest, BI may have one open), so the
current one is not edited: it is copied table by table, from its own DuckDB file, into a
new version of the same as-of date without the erased people's rows, and `current` is
switched to it in the one atomic step. The old version then holds an erased person and
is no longer current, so pipelines/serve/forget.py drops it like any other.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from pipelines.files import file_sha256
from pipelines.serve import history
from pipelines.serve.forget import holds
from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION, Serving
from pipelines.serve.manifest import Manifest, TableEntry
from pipelines.serve.privacy import private_select
from pipelines.serve.swap import point
from pipelines.serve.table import serve_table
from pipelines.serve.version import next_version, write_meta
from pipelines.settings import get_settings


def _copy(
    con: duckdb.DuckDBPyConnection, old: Manifest, staging: Path, erased: list[str]
) -> list[TableEntry]:
    viewed = history.is_view(con, "old")  # then it stays a view over the copied periods
    entries = []
    for table in old.tables:
        schema, name = table.name.split(".", 1)
        # "plain": the columns stay as the old version published them (hashed or dropped)
        select = private_select(con, f"old.{schema}.{name}", "plain", erased)
        into_file = not (viewed and table.name == history.HISTORY)
        entries.append(serve_table(con, select, schema, name, staging, into_file=into_file))  # as publish
    if viewed:
        history.write_view(con, "serving", f"select as_of_date from old.{history.DATES}")
    return entries


def reissue_current(serving: Serving, erased: list[str]) -> str | None:
    """Re-issue `current` without `erased` (under the serving lock); returns the new version."""
    current = serving.current_version()
    if not erased or current is None:
        return None
    source = serving.version_dir(current)
    old = Manifest.read(source / "manifest.json")
    probe = duckdb.connect()
    try:
        if not holds(probe, [str(source / t.parquet) for t in old.tables], erased):
            return None
    finally:
        probe.close()
    version = next_version(serving, old.as_of_date)
    staging = serving.versions / f".{version}.tmp"
    staging.mkdir()
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = '{get_settings().publish_memory_limit}'")  # as publish's copy
        con.execute(f"attach '{source / DUCKDB_NAME}' as old (read_only)")
        con.execute(
            f"attach '{staging / DUCKDB_NAME}' as serving (read_write, storage_version '{STORAGE_VERSION}')"
        )
        update = {
            "version": version,
            "previous_version": current,
            "made_current": True,
            "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": _copy(con, old, staging, erased),
        }
        manifest = old.model_copy(update=update)
        write_meta(con, manifest)
        con.close()
        if (source / "docs").is_dir():
            shutil.copytree(source / "docs", staging / "docs")
        manifest.duckdb_sha256 = file_sha256(staging / DUCKDB_NAME)
        manifest.write(staging / "manifest.json")
    except BaseException:
        con.close()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    os.rename(staging, serving.version_dir(version))
    point(serving.current, f"versions/{version}")
    return version
