"""Fixtures for the quality gate tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.quality.factories import write_incoming


@pytest.fixture
def warehouse_with(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: list[dict[str, Any]], drop: tuple[str, ...] = ()) -> Path:
        return write_incoming(tmp_path / "warehouse.duckdb", rows, drop)

    return make
