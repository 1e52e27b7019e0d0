"""The DAG's two dbt builds of a day, and the one line each leaves in the task log.

Apart from pipelines/transform.py, which runs any dbt command under the warehouse lock: what is
built (selectors, unit tests left out) is a decision of the daily DAG, how dbt runs is not.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from pipelines.ops.freshness import build_after_freshness
from pipelines.settings import Settings
from pipelines.transform import run_dbt

# Unit tests check the SQL on fixed inputs, not the day's data: they run in CI (tests/dbt's plain
# `dbt build`), not in every daily build, as dbt recommends (DECISIONLOG.md "Performance (issue 16)").
_PRODUCTION = ("--exclude-resource-type", "unit_test")


def build_marts(settings: Settings, as_of: date, full_refresh: bool = False) -> tuple[Path, list[str]]:
    """Source freshness, then the build (`dbt seed` is part of it), in one dbt process: a stale
    source stops it before the build (pipelines/ops/freshness.py). Returns dbt's target folder and
    the freshness lines.

    `full_refresh` rebuilds the incremental facts; the segment history is exempt
    (full_refresh=false in its config), since past runs cannot be rebuilt."""
    build = ["build", *_PRODUCTION, *(["--full-refresh"] if full_refresh else [])]
    return build_after_freshness(settings, as_of, build)


def build_after_clv(settings: Settings, as_of: date) -> Path:
    """What reads the CLV marts written by pipelines/clv (selectors.yml: after_clv); the
    default selector of a plain build leaves it out, so a first build never reads a missing table."""
    return run_dbt(settings, ["build", "--selector", "after_clv", *_PRODUCTION], as_of)


def build_summary(target: Path) -> str:
    """One line for a finished build: nodes per kind and status, from run_results.json."""
    results = target / "run_results.json"
    if not results.exists():
        return f"dbt build finished (target {target})"
    counts: dict[str, dict[str, int]] = {}
    for node in json.loads(results.read_text())["results"]:
        per = counts.setdefault(node["unique_id"].split(".")[0], {})
        per[node["status"]] = per.get(node["status"], 0) + 1
    parts = []
    for kind, label in (("model", "models built"), ("seed", "seeds"), ("test", "tests passed"),
                        ("unit_test", "unit tests passed"), ("snapshot", "snapshots")):  # fmt: skip
        per = counts.get(kind, {})
        rest = ", ".join(
            f"{n} {status}" for status, n in sorted(per.items()) if status not in ("success", "pass")
        )
        if per:
            parts.append(
                f"{per.get('success', 0) + per.get('pass', 0):,} {label}" + (f" ({rest})" if rest else "")
            )
    return f"dbt build: {', '.join(parts)}"
