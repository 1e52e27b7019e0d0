"""Find the landing files the contract describes, with their size and checksum."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from pipelines.contract import ENTITIES, LANDING_FORMATS
from pipelines.files import file_sha256


@dataclass(frozen=True)
class LandingFile:
    path: Path
    source_file: str  # relative to the landing folder, '/'-separated: the key everywhere
    entity: str
    fmt: str  # 'csv' | 'parquet'
    size_bytes: int
    checksum: str  # sha256 hex
    # (size, mtime ns, ctime ns, inode) when the file was hashed; None while it may still change
    stat_key: tuple[int, int, int, int] | None = None


@dataclass(frozen=True)
class Discovery:
    files: tuple[LandingFile, ...]
    ignored: tuple[str, ...]


def _entity_of(rel: Path, patterns: dict[str, str]) -> str | None:
    """The entity a relative path belongs to, or None when it is not landing data."""
    if rel.suffix.lower() not in LANDING_FORMATS:
        return None
    # a landing config's file pattern (e.g. 'orders_export_*.csv') names the entity first
    for entity, pattern in patterns.items():
        if fnmatch(rel.as_posix(), pattern):
            return entity
    name = rel.parts[0] if len(rel.parts) > 1 else rel.stem
    return name if name in ENTITIES else None


# A file changed within this many seconds of being hashed may be written to still: its stat
# is not kept, so its checksum is never taken from `remembered` (git's "racy" files).
RACY_SECONDS = 2


def _stat_key(path: Path, now_ns: int) -> tuple[int, int, int, int] | None:
    st = path.stat()
    if max(st.st_mtime_ns, st.st_ctime_ns) > now_ns - RACY_SECONDS * 10**9:
        return None
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def discover(
    landing: Path,
    patterns: dict[str, str] | None = None,
    remembered: Mapping[str, tuple[tuple[int, int, int, int], str]] | None = None,
) -> Discovery:
    """Contract files under `landing`, sorted by path; other visible paths are reported as ignored.

    Hidden and underscore paths (the generator's `_truth/`, Spark's `_SUCCESS`, editors'
    dot files) are not data and not worth reporting either. `remembered` maps a source file to
    the stat key and checksum of an earlier look (checksums.py): a file whose size, mtime, ctime
    and inode are all the same is not read again (ctime moves on any write and cannot be set).
    """
    if not landing.is_dir():
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    files: list[LandingFile] = []
    ignored: set[str] = set()
    for path in sorted(landing.rglob("*")):
        rel = path.relative_to(landing)
        if any(part.startswith(("_", ".")) for part in rel.parts) or not path.is_file():
            continue
        entity = _entity_of(rel, patterns or {})
        if entity is None:
            # an unknown top-level folder is reported once, not file by file
            top = rel.parts[0]
            ignored.add(rel.as_posix() if top in ENTITIES or len(rel.parts) == 1 else top + "/")
            continue
        key = _stat_key(path, time.time_ns())
        earlier = (remembered or {}).get(rel.as_posix())
        checksum = earlier[1] if key is not None and earlier and earlier[0] == key else file_sha256(path)
        fmt = rel.suffix.lower().lstrip(".")
        size = key[0] if key else path.stat().st_size
        files.append(LandingFile(path, rel.as_posix(), entity, fmt, size, checksum, key))
    return Discovery(tuple(files), tuple(sorted(ignored)))
