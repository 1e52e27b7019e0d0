"""dbt docs (index.html, manifest.json, catalog.json) for the serving area."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pipelines.settings import Settings

DOCS_FILES = ("index.html", "manifest.json", "catalog.json")
STATIC = "static_index.html"


def generate_docs(settings: Settings, as_of: date) -> Path:
    """`dbt docs generate` reads the warehouse catalog, read-only, under a reader's lock: it runs
    beside export_segments (dags/rapport_daily.py), whose writes wait for it; publish waits for both.

    --no-compile saves ~40% of its time on every run; the docs then show model SQL uncompiled.
    --static also writes static_index.html with the manifest and catalog inside it: a browser
    opening index.html from file:// cannot fetch manifest.json (the page never finishes loading).
    """
    from pipelines.transform import run_dbt

    return run_dbt(settings, ["docs", "generate", "--no-compile", "--static"], as_of, read_only=True)


def docs_target(settings: Settings) -> Path:
    """Where `dbt docs generate` left the docs (the generate_dbt_docs task, before publish)."""
    from pipelines.transform import target_path

    return target_path(settings)


def copy_docs(target: Path, dest: Path) -> list[str]:
    missing = [name for name in DOCS_FILES if not (target / name).exists()]
    if missing:
        raise FileNotFoundError(f"dbt docs generate left no {', '.join(missing)} in {target}")
    dest.mkdir(parents=True, exist_ok=True)
    for name in DOCS_FILES:
        shutil.copyfile(target / name, dest / name)
    if (target / STATIC).exists():  # the self-contained page is the one people open
        shutil.copyfile(target / STATIC, dest / "index.html")
    return list(DOCS_FILES)
