"""Atomic pointer swaps: a reader sees the old target or the new one, never a half-written file."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def point(link: Path, target: str) -> None:
    """Make `link` a symlink to `target` via a rename, which POSIX makes atomic."""
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)


def replace_with(dest: Path, source: Path) -> None:
    """Put `source` at `dest` atomically; a hard link avoids copying, a copy covers other filesystems.

    A reader that already opened `dest` keeps the old inode, so it finishes on the old version.
    """
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        os.link(source, tmp)
    except OSError:
        shutil.copyfile(source, tmp)
    os.replace(tmp, dest)


def prune(versions: Path, keep: int, protect: set[str]) -> list[str]:
    """Drop all but the newest `keep` versions (names sort by time); readers that resolved
    `current` earlier get `keep - 1` publishes of grace before their version disappears."""
    names = sorted(p.name for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))
    doomed = [n for n in names[:-keep] if n not in protect] if keep > 0 else []
    for name in doomed:
        shutil.rmtree(versions / name, ignore_errors=True)
    return doomed
