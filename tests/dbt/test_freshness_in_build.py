"""dbt_build checks source freshness first, in its own dbt process: a stale feed stops the task
with the source named and nothing built; a fresh one is built on the same parse."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
from rapport_dbt import FULL, write_raw

from pipelines import stages
from pipelines.ops.freshness import StaleSource, build_after_freshness
from pipelines.settings import Settings, get_settings


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_a_stale_feed_stops_dbt_build_before_anything_is_built(home: Path) -> None:
    settings = get_settings()
    write_raw(settings.warehouse_path, FULL)  # its newest order is from mid-2024
    with pytest.raises(
        StaleSource, match=r"source freshness failed for as-of 2025-07-01.*\n  source shop\.orders: error"
    ):
        stages.build("2025-07-01")
    assert not _built(settings.warehouse_path), "the build ran after a stale source"
    assert not (settings.home / "dbt" / "target" / "run_results.json").exists()


def _built(warehouse: Path) -> list[str]:
    """The relations of dbt's models and seeds (the on-run-start hook's state tables and the build
    record are written before any check, as on main)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() where schema_name not in "
            "('raw', 'incremental_state', 'rapport_meta') union all select schema_name || '.' || view_name "
            "from duckdb_views() where not internal"
        ).fetchall()
    return [name for (name,) in rows]


def test_a_fresh_feed_is_built_in_the_same_dbt_process(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, freshness_error_hours=10**6, freshness_warn_hours=10**6)
    write_raw(settings.warehouse_path, FULL)
    target, lines = build_after_freshness(
        settings, date(2024, 7, 1), ["build", "--select", "stg_shop__orders_versions"]
    )
    assert lines[0].startswith("source shop.orders: pass, newest row ")
    built = json.loads((target / "run_results.json").read_text())["results"]
    assert {r["unique_id"] for r in built} == {
        "operation.rapport.rapport-on-run-start-0",
        "model.rapport.stg_shop__orders_versions",
    }
    # one process, one parse: the build ran on the manifest parsed before the freshness check
    log = (tmp_path / "dbt" / "logs" / "dbt.log").read_text()
    assert log.count("Starting full parse") == 1 and "Partial parsing enabled" not in log
