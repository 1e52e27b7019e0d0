"""Where published things live under <home>/serving, and how a reader finds the current version."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# DuckDB 1.0 and later read this on-disk format; BI drivers often bundle a 1.x DuckDB.
STORAGE_VERSION = "v1.0.0"
DUCKDB_NAME = "rapport.duckdb"


@dataclass(frozen=True)
class Serving:
    root: Path

    @property
    def versions(self) -> Path:
        return self.root / "versions"

    @property
    def current(self) -> Path:
        """Symlink to the newest complete version; replaced atomically."""
        return self.root / "current"

    @property
    def duckdb(self) -> Path:
        """Stable path for BI connection strings: a symlink to current/rapport.duckdb, so the
        DuckDB file and the Parquet tree change together with the one `current` switch."""
        return self.root / DUCKDB_NAME

    @property
    def index(self) -> Path:
        """serving/manifest.json: the versions and as-of dates that exist (see serve/index.py)."""
        return self.root / "manifest.json"

    @property
    def lock(self) -> Path:
        """Held by publish and report: one writer of the serving area at a time."""
        return self.root / ".serving.lock"

    @property
    def docs(self) -> Path:
        """dbt docs of the current version (a symlink through `current`)."""
        return self.root / "docs"

    @property
    def report(self) -> Path:
        return self.root / "report.html"

    @property
    def history(self) -> Path:
        """Small per-version files kept after old versions are pruned (KPIs, segment membership)."""
        return self.root / "history"

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Serialise publish and report (readers never take it)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.lock, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def version_dir(self, version: str) -> Path:
        return self.versions / version

    def current_version(self) -> str | None:
        """Resolve the pointer once; read everything of one version through the returned name."""
        try:
            return Path(os.readlink(self.current)).name
        except (FileNotFoundError, OSError):
            return None

    def lines(self) -> list[str]:
        """Where a person or a BI tool finds the published marts (printed at the end of a run)."""
        return [
            f"  serving duckdb:      {self.duckdb}  (DuckDB >= 1.0, open read-only)",
            f"  serving parquet:     {self.current / 'parquet'}/<schema>/<table>.parquet",
            f"  dbt docs:            {self.docs / 'index.html'}",
            f"  report:              {self.report}",
        ]
