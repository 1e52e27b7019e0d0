"""Crash-safe file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path

import polars as pl

CSV_COLUMNS = ("email", "first_name", "last_name", "segment")


def atomic_write(path: Path, data: bytes) -> None:
    """Temp file in the same directory (same filesystem, so os.replace is atomic) + fsyncs."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # The rename itself only survives a power cut once the directory entry is on disk.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def crm_csv(frame: pl.DataFrame) -> bytes:
    """CRM import file: UTF-8 without BOM, RFC 4180 (CRLF, quotes only where needed).

    Sorted by email (byte order of UTF-8, i.e. code point order, independent of locale)
    so the same list always yields the same bytes.
    """
    ordered = frame.select(CSV_COLUMNS).sort("email")
    return ordered.write_csv(line_terminator="\r\n", quote_style="necessary").encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
