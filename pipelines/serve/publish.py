"""Publish every table of schemas marts and segments as a new, complete serving version."""

from __future__ import annotations

import hashlib
import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb

from pipelines.serve.docs import copy_docs
from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION, Serving
from pipelines.serve.manifest import Manifest, QualitySummary, TableEntry
from pipelines.serve.quality import quality_summary
from pipelines.serve.swap import point, prune, replace_with
from pipelines.warehouse import connect

SCHEMAS = ("marts", "segments")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _next_version(serving: Serving, as_of: date) -> str:
    """A sequence number first, so names sort in publish order even when an older date is rerun."""
    seqs = [int(p.name[1:7]) for p in serving.versions.glob("v[0-9]*") if p.name[1:7].isdigit()]
    return f"v{max(seqs, default=0) + 1:06d}_{as_of.isoformat()}"


def _copy_tables(con: duckdb.DuckDBPyConnection, staging: Path) -> list[TableEntry]:
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables "
        "where table_catalog = current_database() and table_schema in ? order by all",
        [list(SCHEMAS)],
    ).fetchall()
    options = f"read_write, storage_version '{STORAGE_VERSION}'"
    con.execute(f"attach '{staging / DUCKDB_NAME}' as serving ({options})")
    entries = []
    for schema, table in tables:
        name, parquet = f'"{schema}"."{table}"', Path("parquet") / schema / f"{table}.parquet"
        (staging / parquet).parent.mkdir(parents=True, exist_ok=True)
        con.execute(f'create schema if not exists serving."{schema}"')
        con.execute(f"create table serving.{name} as select * from {name}")
        # Parquet from the serving copy, so both formats hold exactly the same rows.
        con.execute(f"copy serving.{name} to '{staging / parquet}' (format parquet, compression zstd)")
        (rows,) = con.execute(f"select count(*) from serving.{name}").fetchall()[0]
        entry = TableEntry(name=f"{schema}.{table}", rows=rows, parquet=str(parquet), sha256="")
        entries.append(entry.model_copy(update={"sha256": _sha256(staging / parquet)}))
    return entries


def _write_meta(con: duckdb.DuckDBPyConnection, m: Manifest) -> None:
    """The manifest inside the file too, so one connection sees counts and data of the same version."""
    con.execute("create schema serving.meta")
    con.execute(
        "create table serving.meta.manifest (version varchar, run_id varchar, as_of_date date, "
        "table_name varchar, row_count bigint, parquet_sha256 varchar)"
    )
    con.executemany(
        "insert into serving.meta.manifest values (?, ?, ?, ?, ?, ?)",
        [[m.version, m.run_id, m.as_of_date, t.name, t.rows, t.sha256] for t in m.tables],
    )
    con.execute("detach serving")


def _stage(warehouse: Path, staging: Path, base: Manifest, docs_target: Path | None) -> Manifest:
    with connect(warehouse, read_only=True) as con:
        manifest = base.model_copy(
            update={
                "tables": _copy_tables(con, staging),
                "quality": quality_summary(con, base.run_id),
                "docs": copy_docs(docs_target, staging / "docs") if docs_target else [],
            }
        )
        _write_meta(con, manifest)
    manifest.duckdb_sha256 = _sha256(staging / DUCKDB_NAME)
    manifest.write(staging / "manifest.json")
    return manifest


def publish(
    warehouse: Path, root: Path, as_of: date, run_id: str, docs_target: Path | None = None, keep: int = 5
) -> Manifest:
    """Build the version in a hidden directory, rename it into place, then swap the pointers."""
    serving = Serving(root)
    serving.versions.mkdir(parents=True, exist_ok=True)
    serving.history.mkdir(exist_ok=True)
    version = _next_version(serving, as_of)
    staging = serving.versions / f".{version}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    base = Manifest(
        version=version,
        run_id=run_id,
        as_of_date=as_of,
        published_at=datetime.now(UTC).isoformat(timespec="seconds"),
        previous_version=serving.current_version(),
        storage_version=STORAGE_VERSION,
        duckdb_sha256="",
        tables=[],
        quality=QualitySummary(),
        docs=[],
    )
    try:
        manifest = _stage(warehouse, staging, base, docs_target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    final = serving.version_dir(version)
    os.rename(staging, final)
    if "marts.customer_rfm" in manifest.rows():
        # Segment membership outlives pruned versions: the next report's migration reads it.
        rfm = final / "parquet" / "marts" / "customer_rfm.parquet"
        shutil.copyfile(rfm, serving.history / f"{version}.rfm.parquet")
    point(serving.current, f"versions/{version}")
    replace_with(serving.duckdb, final / DUCKDB_NAME)
    if not serving.docs.is_symlink():
        point(serving.docs, "current/docs")
    prune(serving.versions, keep, protect={version})
    return manifest
