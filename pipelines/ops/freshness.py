"""`dbt source freshness` before the build, judged against the run's as-of date, in the build's
own dbt process (pipelines/dbt_session.py), so a stale feed stops dbt_build before it builds.

dbt compares a source's newest row with the wall clock; the project's
`duckdb__collect_freshness` macro compares it with the as-of date instead (rows before
it only), so a backfill of an old day and the demo data are judged on what had
arrived by their own day, and a feed that stopped fails the run with its name.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipelines.settings import Settings
from pipelines.transform import DbtFailed, run_dbt, target_path


class StaleSource(RuntimeError):
    """A source's newest row is older than its error threshold allows."""


def _verdicts(settings: Settings) -> list[tuple[str, str, float | None]]:
    path = target_path(settings) / "sources.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text())["results"]
    return [(r["unique_id"], r["status"], r.get("max_loaded_at_time_ago_in_s")) for r in results]


# explicit: the project's default selector (before_clv) selects no source for freshness
FRESHNESS = ["source", "freshness", "--select", "source:shop"]


def build_after_freshness(settings: Settings, as_of: date, build: list[str]) -> tuple[Path, list[str]]:
    """`dbt source freshness`, then `build` in the same dbt process (one start-up, one parse): a
    source past its error threshold raises StaleSource naming it, and nothing is built. Returns
    dbt's target folder and a line per source (warnings included)."""
    if not settings.freshness_check:
        return run_dbt(settings, build, as_of), ["source freshness: skipped (RAPPORT_FRESHNESS_CHECK=false)"]
    # a previous run's verdicts must not be read as this run's when dbt fails before writing any
    (target_path(settings) / "sources.json").unlink(missing_ok=True)
    try:
        target = run_dbt(settings, build, as_of, before=FRESHNESS)
    except DbtFailed as exc:
        if exc.command == FRESHNESS:
            _judge(settings, as_of, exc)  # raises
        raise
    return target, _judge(settings, as_of, None) or ["source freshness: no source checked"]


def _judge(settings: Settings, as_of: date, failed: DbtFailed | None) -> list[str]:
    """Raise StaleSource naming each source past its error threshold; warnings are returned."""
    verdicts = _verdicts(settings)
    lines = [
        f"source {uid.removeprefix('source.rapport.')}: {status}"
        + (f", newest row {age / 3600:.0f} h before {as_of}" if age is not None else "")
        for uid, status, age in verdicts
    ]
    stale = [line for line, (_, status, _) in zip(lines, verdicts, strict=True) if status == "error"]
    if failed is not None and stale:
        raise StaleSource(
            f"source freshness failed for as-of {as_of} (error after {settings.freshness_error_hours} h):\n  "
            + "\n  ".join(stale)
        )
    if failed is not None:  # dbt itself failed (locked file, bad SQL, ...): say that, not "stale"
        raise DbtFailed(f"dbt source freshness could not check the sources (not a stale source): {failed}")
    return lines
