"""Shared fixtures: every test gets its own RAPPORT_HOME so runs never share state."""

from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

import pytest
from hypothesis import settings

# CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) replays the same examples every run, so a merge is
# never blocked by a new random draw; local runs keep exploring and print how to reproduce a find.
# No deadline: a 2-core box shared with DAG runs makes one draw take 20x another, and speed is
# measured in benchmarks/, never in tests.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# Whole-pipeline tests: every test under these folders runs the real DAG (e2e/) or builds the whole
# dbt project (dbt/, minutes each). `make test-fast` leaves the `e2e` marker out; `make test` runs all.
E2E_FOLDERS = ("dbt", "e2e")
TESTS = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.path)).resolve().relative_to(TESTS).parts[0]
        if folder in E2E_FOLDERS:
            item.add_marker(pytest.mark.e2e)
