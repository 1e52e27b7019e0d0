"""Publish every table of schemas marts and segments as a new, complete serving version.

One switch: the Parquet tree, the DuckDB file, the manifest and the docs all live in the
version directory, reached through the single `current` symlink (`rapport.duckdb` and
`docs` are fixed links through it), so a crash between any two steps leaves readers on
the old version or the new one, never a mix. `current` never moves to an older as-of date:
a backfill writes its version for those who ask for it (serving/manifest.json lists them).
The tables are copied by serve/copy.py; with RAPPORT_SERVING_DUCKDB=views the DuckDB file is
written after the rename (serve/views.py), and manifest.json, last, marks a version complete.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from pipelines.files import file_sha256
from pipelines.killpoint import kill_point
from pipelines.serve.copy import copy_tables
from pipelines.serve.docs import copy_docs
from pipelines.serve.forget import forget_erased
from pipelines.serve.index import write_index
from pipelines.serve.layout import DUCKDB_NAME, STORAGE_VERSION, Serving
from pipelines.serve.manifest import Manifest, QualitySummary
from pipelines.serve.privacy import erased_ids
from pipelines.serve.quality import quality_summary
from pipelines.serve.reissue import reissue_current
from pipelines.serve.swap import point, prune
from pipelines.serve.sweep import sweep_serving
from pipelines.serve.version import next_version, write_meta
from pipelines.serve.views import write_views
from pipelines.settings import get_settings
from pipelines.warehouse import connect


def _stage(
    warehouse: Path, staging: Path, base: Manifest, docs_target: Path | None, views: bool
) -> tuple[Manifest, list[str]]:
    settings = get_settings()
    with connect(warehouse, read_only=True) as con:
        # Every block read or written passes once: under the general cap the buffer pool kept
        # them all, so the peak grew with the data (7.0 GiB at 3M customers).
        con.execute(f"set memory_limit = '{settings.publish_memory_limit}'")  # validated pattern
        erased = erased_ids(con)
        tables = copy_tables(con, staging, base.as_of_date, settings.serving_pii, erased, views)
        manifest = base.model_copy(
            update={
                "tables": tables,
                "quality": quality_summary(con, base.run_id),
                "docs": copy_docs(docs_target, staging / "docs") if docs_target else [],
            }
        )
        if not views:
            write_meta(con, manifest)
    if not views:
        _seal(staging, manifest)
    return manifest, erased


def _seal(vdir: Path, manifest: Manifest) -> None:
    """manifest.json last: a version directory without one is unfinished (sweep.py)."""
    manifest.duckdb_sha256 = file_sha256(vdir / DUCKDB_NAME)
    manifest.write(vdir / "manifest.json")


def _current_as_of(serving: Serving) -> date | None:
    current = serving.current_version()
    if current is None or not (serving.version_dir(current) / "manifest.json").exists():
        return None
    return Manifest.read(serving.version_dir(current) / "manifest.json").as_of_date


def publish(
    warehouse: Path, root: Path, as_of: date, run_id: str, docs_target: Path | None = None, keep: int = 5
) -> Manifest:
    """Build the version in a hidden directory, rename it into place, then switch `current`
    unless the newest published as-of date is later than this one."""
    serving = Serving(root)
    serving.versions.mkdir(parents=True, exist_ok=True)
    serving.history.mkdir(exist_ok=True)
    with serving.locked():
        sweep_serving(serving)
        newest = _current_as_of(serving)
        version = next_version(serving, as_of)
        staging = serving.versions / f".{version}.tmp"
        staging.mkdir()
        base = Manifest(
            version=version,
            run_id=run_id,
            as_of_date=as_of,
            published_at=datetime.now(UTC).isoformat(timespec="seconds"),
            previous_version=serving.current_version(),
            made_current=newest is None or as_of >= newest,
            storage_version=STORAGE_VERSION,
            duckdb_sha256="",
            tables=[],
            quality=QualitySummary(),
            docs=[],
        )
        views = get_settings().serving_duckdb == "views"
        try:
            manifest, erased = _stage(warehouse, staging, base, docs_target, views)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        kill_point("publish:staged")
        final = serving.version_dir(version)
        os.rename(staging, final)
        kill_point("publish:renamed")
        if views:  # DuckDB binds a view to its Parquet's path: the final one (serve/views.py)
            write_views(final, manifest)
            _seal(final, manifest)
        if "marts.customer_rfm" in manifest.rows():
            # Segment membership outlives pruned versions: the next report's migration reads it.
            rfm = final / "parquet" / "marts" / "customer_rfm.parquet"
            shutil.copyfile(rfm, serving.history / f"{version}.rfm.parquet")
        for link, target in ((serving.duckdb, f"current/{DUCKDB_NAME}"), (serving.docs, "current/docs")):
            if not link.is_symlink() or os.readlink(link) != target:
                point(link, target)  # once per deployment, before the switch (still the old version)
        kill_point("publish:linked")
        if manifest.made_current:
            point(serving.current, f"versions/{version}")  # THE switch: data, file, docs together
        else:
            # a backfill leaves `current` where it is: it loses the erased people by a re-issue
            reissue_current(serving, erased)
        kill_point("publish:switched")
        prune(serving.versions, keep, protect={version, serving.current_version() or version})
        forget_erased(serving, erased, protect={version, serving.current_version() or version})
        write_index(serving)
    return manifest
