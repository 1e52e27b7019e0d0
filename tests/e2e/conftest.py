"""One real DAG run on a generated shop, shared by every end-to-end test that only reads it.

Running the DAG costs ~40 s on 2 cores, so tests that need a run of their own
(another landing folder, several days, a failure) make it themselves and keep it small.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from orchestration.local_airflow import run_dag
from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.settings import Settings


@dataclass(frozen=True)
class ShopRun:
    settings: Settings
    landing: Path
    as_of: date
    events: list[tuple[dict[str, Any], float]]  # progress records with when they reached us
    ended: float  # time.monotonic() when the DAG run returned


@pytest.fixture(scope="session")
def shop_run(tmp_path_factory: pytest.TempPathFactory) -> ShopRun:
    """`rapport_daily` ran once on a 1,500-customer shop, its progress records followed live."""
    home = tmp_path_factory.mktemp("home")
    landing = home / "landing"
    generate_shop(landing, customers=1500, seed=11)
    settings = Settings(home=home)
    as_of = default_as_of(landing)
    events: list[tuple[dict[str, Any], float]] = []
    proc = run_dag(settings, as_of, landing, on_event=lambda e: events.append((e, time.monotonic())))
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return ShopRun(settings, landing, as_of, events, time.monotonic())


@pytest.fixture(scope="session")
def shop(shop_run: ShopRun) -> tuple[Settings, Path, date]:
    """(settings, landing, as_of) after `rapport_daily` ran once on a 1,500-customer shop."""
    return shop_run.settings, shop_run.landing, shop_run.as_of
