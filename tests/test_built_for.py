"""Export and publish read only marts built for their own as-of date."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipelines.cli import app
from pipelines.ops.built_for import AsOfMismatch, record_build, require_build
from pipelines.settings import get_settings
from tests.export.factories import CONFIG, person, write_segments

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    people = [person(i) for i in range(5)]
    write_segments(tmp_path / "warehouse.duckdb", people, people[:2])
    (tmp_path / "d.yml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    monkeypatch.setenv("RAPPORT_DESTINATIONS_FILE", str(tmp_path / "d.yml"))
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_only_a_finished_build_of_the_same_date_passes(home: Path) -> None:
    warehouse = home / "warehouse.duckdb"
    require_build(warehouse, D2, "export")  # hand-made warehouse without a record
    record_build(warehouse, D1, "running")
    with pytest.raises(AsOfMismatch, match="a build for 2024-03-01 that did not finish"):
        require_build(warehouse, D1, "export")
    record_build(warehouse, D1, "built")
    require_build(warehouse, D1, "export")
    with pytest.raises(AsOfMismatch, match="marts built for as-of 2024-03-01"):
        require_build(warehouse, D2, "publish")


@pytest.mark.parametrize("command", ["export", "publish"])
def test_export_and_publish_refuse_another_date_in_one_line_and_write_nothing(
    home: Path, command: str
) -> None:
    record_build(home / "warehouse.duckdb", D1, "built")
    result = CliRunner().invoke(app, [command, "--as-of", D2.isoformat()])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"{command} refused for as-of 2024-03-02: the warehouse holds marts built for as-of 2024-03-01; "
        "run `rapport build --as-of 2024-03-02` first"
    )
    assert not (home / "exports").exists() and not (home / "serving").exists()


def test_export_waits_for_the_clv_steps_of_the_same_day(home: Path) -> None:
    """dbt's marts alone are not enough: the CLV segments come from the fit of the same day."""
    warehouse = home / "warehouse.duckdb"
    record_build(warehouse, D1, "marts")
    with pytest.raises(AsOfMismatch, match="did not finish"):
        require_build(warehouse, D1, "export")
    require_build(warehouse, D1, "fit_clv", ("marts", "fitted", "built"))
    with pytest.raises(AsOfMismatch, match="marts built for as-of 2024-03-01"):
        require_build(warehouse, D2, "fit_clv", ("marts", "fitted", "built"))
    record_build(warehouse, D1, "fitted")
    require_build(warehouse, D1, "build_clv", ("fitted", "built"))
    record_build(warehouse, D1, "built")
    require_build(warehouse, D1, "export")
