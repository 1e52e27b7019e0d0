"""Export paths built only from validated names and proven to stay under the export root."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path

NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,80}$")


def confined(root: Path, *parts: str) -> Path:
    """root/part/...; raises ValueError for any part that could leave root."""
    for part in parts:
        if not NAME.fullmatch(part) or ".." in part:
            raise ValueError(f"unsafe export path component {part!r}")
    base = root.resolve()
    path = base.joinpath(*parts).resolve()
    if not path.is_relative_to(base):
        raise ValueError(f"{path} is outside the export root {base}")
    return path


def staging_dir(root: Path, day: str) -> Path:
    """A hidden sibling of the day folder: readers and `latest` never see it."""
    path = root / f".{day}.tmp-{uuid.uuid4().hex[:8]}"
    path.mkdir(parents=True)
    return path


def swap_in(staged: Path, target: Path) -> None:
    """Replace `target` by `staged` with renames only; a crash leaves one or the other."""
    old = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    if target.exists():
        target.rename(old)
    staged.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def sweep_staging(root: Path) -> list[str]:
    """Remove what an interrupted export left: hidden day folders being built (.<day>.tmp-*) or
    being replaced (.<day>.old-*). They hold full customer lists, so they must not linger (nor
    escape erasure); the caller holds the warehouse lock, so no export is writing them."""
    removed = []
    for leftover in (*root.glob(".*.tmp-*"), *root.glob(".*.old-*")):
        shutil.rmtree(leftover, ignore_errors=True)
        removed.append(leftover.name)
    return removed
