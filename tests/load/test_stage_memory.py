"""Staging runs under its own DuckDB memory cap (the smaller of the two settings)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

import pipelines.load.stage as stage_module
from pipelines.settings import Settings, get_settings
from tests.load.support import CUSTOMERS, Site


@pytest.mark.parametrize(
    ("general", "stage", "expected"),
    [("8GB", "3GB", "3GB"), ("2GB", "3GB", "2GB"), ("2.5 GiB", "3000MB", "2.5 GiB"), ("4GB", "4GiB", "4GB")],
)
def test_the_smaller_cap_applies(general: str, stage: str, expected: str) -> None:
    settings = Settings(duckdb_memory_limit=general, duckdb_stage_memory_limit=stage)
    assert settings.stage_memory_limit == expected


def test_a_stage_cap_that_is_not_a_size_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(duckdb_stage_memory_limit="1GB'; drop table raw.orders; --")


def test_staging_connection_uses_the_stage_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    checked = stage_module.check_collapse

    def spy(con: Any, rows_in: dict[str, int]) -> None:
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        checked(con, rows_in)

    monkeypatch.setattr(stage_module, "check_collapse", spy)
    monkeypatch.setenv("RAPPORT_DUCKDB_STAGE_MEMORY_LIMIT", "1GB")
    get_settings.cache_clear()
    try:
        site.write("customers/c.csv", CUSTOMERS)
        site.stage()
    finally:
        get_settings.cache_clear()
    assert seen == ["953.6 MiB"]  # 1 GB (10^9 bytes) in MiB
