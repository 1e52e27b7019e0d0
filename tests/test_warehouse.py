from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pipelines.settings import Settings, get_settings
from pipelines.warehouse import connect


def test_every_connection_caps_duckdb_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Uncapped, DuckDB takes up to 80% of RAM per process (16.8 GiB staging 1M customers)."""
    monkeypatch.setenv("RAPPORT_DUCKDB_MEMORY_LIMIT", "1GB")
    get_settings.cache_clear()
    try:
        with connect(tmp_path / "warehouse.duckdb") as con:
            limit = con.execute("select current_setting('memory_limit')").fetchall()[0][0]
    finally:
        get_settings.cache_clear()
    assert limit == "953.6 MiB"  # DuckDB shows 1 GB (10^9 bytes) in MiB


@pytest.mark.parametrize("value", ["lots", "8GB'; drop table raw.orders; --", "-1GB", ""])
def test_a_memory_limit_that_is_not_a_size_is_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        Settings(duckdb_memory_limit=value)
