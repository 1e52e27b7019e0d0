"""Remove what an interrupted publish or report left in the serving area.

Called at the start of publish and report, under the serving lock, so nothing it
removes can belong to a publish still running. Temp names are hidden (leading dot),
so no reader ever followed them.
"""

from __future__ import annotations

import shutil

from pipelines.serve.layout import Serving


def sweep_serving(serving: Serving) -> list[str]:
    """Half-built versions (versions/.<v>.tmp, or renamed without manifest.json), pointer temps
    and report temps; returns what went."""
    removed = []
    leftovers = [
        *serving.versions.glob(".*.tmp"),
        *serving.root.glob(".*.tmp"),
        *serving.versions.glob("*/.report.html.*tmp"),  # pipelines.files.atomic_write temps
    ]
    current = serving.current_version()
    # renamed into place but never given its manifest.json, written last (publish.py, views.py)
    leftovers += [
        p
        for p in serving.versions.glob("v[0-9]*")
        if p.is_dir() and not p.is_symlink() and p.name != current and not (p / "manifest.json").exists()
    ]
    for path in leftovers:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(str(path.relative_to(serving.root)))
    return removed
