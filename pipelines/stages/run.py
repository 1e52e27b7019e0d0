"""What every stage needs from its run: a folder-safe run id, the as-of day, the settings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from pipelines.settings import Settings, get_settings


def safe_run_id(run_id: str) -> str:
    """Airflow run ids carry ':' and '+'; they name folders here."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", run_id)


class NoLogicalDate(ValueError):
    """A DAG run triggered without a logical date has no day to build as of."""


def day(as_of: str) -> date:
    """The run's as-of date; Airflow passes ds=None (str: "None") to a run without a logical date."""
    if as_of in ("", "None"):
        raise NoLogicalDate(
            "this run has no logical date, so no as-of date: trigger it with one "
            "(airflow dags trigger rapport_daily --logical-date YYYY-MM-DD) or run a backfill"
        )
    return date.fromisoformat(as_of)


def settings_for(landing: str | None = None) -> Settings:
    """The settings in force, with the run's landing folder override (the DAG's `landing` param)."""
    settings = get_settings()
    return settings.model_copy(update={"landing_dir": Path(landing)}) if landing else settings
