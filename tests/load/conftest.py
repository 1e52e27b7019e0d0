"""Fixtures for the loader tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.load.support import Site


@pytest.fixture
def site(tmp_path: Path) -> Site:
    landing = tmp_path / "landing"
    landing.mkdir()
    return Site(landing, tmp_path / "warehouse.duckdb")
