from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.settings import get_settings
from tests.export.factories import CONFIG, person, write_segments


def test_dry_run_prints_counts_and_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    people = [person(i) for i in range(7)]
    write_segments(home / "warehouse.duckdb", people, people[:2], suppressions=[{"customer_id": "src-c0001"}])
    (tmp_path / "d.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    monkeypatch.setenv("RAPPORT_DESTINATIONS_FILE", str(tmp_path / "d.yml"))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["export", "--as-of", "2024-03-01", "--dry-run"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "dry run (nothing written or sent)" in result.output
    assert "champions: 7 in, 1 excluded" in result.output
    assert "meta_ads/champions: add 6, remove 0, keep 0" in result.output
    assert not (home / "exports").exists() and not (home / "quality").exists()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert not con.execute(
            "select * from information_schema.schemata where schema_name = 'exports'"
        ).fetchall()
