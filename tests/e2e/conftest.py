"""One real DAG run on a generated shop, shared by every end-to-end test that only reads it.

Running the DAG costs ~40 s on 2 cores, so tests that need a run of their own
(another landing folder, several days, a failure) make it themselves and keep it small.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.local_airflow import run_dag
from pipelines.settings import Settings


@pytest.fixture(scope="session")
def shop(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, date]:
    """(settings, landing, as_of) after `rapport_daily` ran once on a 1,500-customer shop."""
    home = tmp_path_factory.mktemp("home")
    landing = home / "landing"
    generate_shop(landing, customers=1500, seed=11)
    settings = Settings(home=home)
    as_of = default_as_of(landing)
    proc = run_dag(settings, as_of, landing)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return settings, landing, as_of
