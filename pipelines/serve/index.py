"""serving/manifest.json: which versions and as-of dates exist, and which one `current` is.

Rebuilt from the version directories on every publish (and after a crash, by the next
publish), so it never disagrees with the disk for long; readers that need one consistent
version still resolve `current` once and read everything through it.
"""

from __future__ import annotations

import json

from pipelines.files import atomic_write
from pipelines.serve.layout import Serving
from pipelines.serve.manifest import Manifest


def write_index(serving: Serving) -> dict[str, object]:
    versions = []
    for vdir in sorted(p for p in serving.versions.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if (vdir / "manifest.json").exists():
            m = Manifest.read(vdir / "manifest.json")
            versions.append(
                {"version": m.version, "as_of_date": m.as_of_date.isoformat(), "run_id": m.run_id}
            )
    current = serving.current_version()
    index: dict[str, object] = {
        "current": current,
        "current_as_of_date": next((v["as_of_date"] for v in versions if v["version"] == current), None),
        "as_of_dates": sorted({str(v["as_of_date"]) for v in versions}),
        "versions": versions,
    }
    atomic_write(serving.index, json.dumps(index, indent=2))
    return index
