"""`dbt source freshness` before the build, judged against the run's as-of date.

dbt compares a source's newest row with the wall clock; the project's
`duckdb__collect_freshness` macro compares it with the as-of date instead (rows before
it only), so a backfill of an old day and the demo data are judged on what had
arrived by their own day, and a feed that stopped fails the run with its name.
"""

from __future__ import annotations

import json
import os
from datetime import date

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


def check_freshness(settings: Settings, as_of: date) -> list[str]:
    """Raise StaleSource naming each source past its error threshold; warnings are returned."""
    if not settings.freshness_check:
        return ["source freshness: skipped (RAPPORT_FRESHNESS_CHECK=false)"]
    # sources.yml reads the thresholds with env_var(), so the settings in force are the ones used
    os.environ["RAPPORT_FRESHNESS_WARN_HOURS"] = str(settings.freshness_warn_hours)
    os.environ["RAPPORT_FRESHNESS_ERROR_HOURS"] = str(settings.freshness_error_hours)
    # a previous run's verdicts must not be read as this run's when dbt fails before writing any
    (target_path(settings) / "sources.json").unlink(missing_ok=True)
    failed: DbtFailed | None = None
    try:
        # explicit: the project's default selector (before_clv) selects no source for freshness
        run_dbt(settings, ["source", "freshness", "--select", "source:shop"], as_of)
    except DbtFailed as exc:
        failed = exc
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
