"""`rapport run`: one per RAPPORT_HOME, a log file per run, and a full disk never hides the failure."""

from __future__ import annotations

import errno
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from orchestration import local_airflow
from orchestration.cli import app
from pipelines.settings import get_settings

HOLD = """
import sys, time
from pathlib import Path
from pipelines.ops.runlock import single_run
with single_run(Path(sys.argv[1]), "2025-07-02", Path(sys.argv[1]) / "first.log"):
    print("running", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    (tmp_path / "landing").mkdir()  # `rapport run` refuses a missing landing folder before locking
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def _dag_result(code: int, out: str) -> object:
    """Stands in for the ~40 s DAG run; the CLI's own behaviour around it is under test."""
    return lambda *a, **k: subprocess.CompletedProcess(["airflow"], code, stdout=out, stderr="")


def test_a_second_run_on_the_same_home_is_refused_at_once_naming_the_first(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_airflow, "run_dag", _dag_result(0, ""))
    first = subprocess.Popen([sys.executable, "-c", HOLD, str(home)], stdout=subprocess.PIPE, text=True)
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "running"
        result = CliRunner().invoke(app, ["run", "--as-of", "2025-07-03"])
    finally:
        first.kill()
        first.wait()
    assert result.exit_code == 1
    assert f"another rapport run is running on {home}: pid {first.pid}, as-of 2025-07-02, started 20" in (
        result.output
    )


def test_each_run_writes_its_own_log(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(local_airflow, "run_dag", _dag_result(1, "task commit_load failed: boom"))
    for _ in range(2):
        assert CliRunner().invoke(app, ["run", "--as-of", "2025-07-03"]).exit_code == 1
    logs = sorted((home / "airflow" / "runs").glob("dags-test-2025-07-03-*.log"))
    assert len(logs) == 2
    assert [log.read_text() for log in logs] == ["task commit_load failed: boom"] * 2


def test_a_full_disk_while_writing_the_log_still_reports_the_failed_task(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(local_airflow, "run_dag", _dag_result(1, "task commit_load failed: boom"))

    def full(self: Path, *a: object, **k: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_text", full)
    result = CliRunner().invoke(app, ["run", "--as-of", "2025-07-03"])
    assert result.exit_code == 1  # typer.Exit, not a traceback from inside the CLI
    assert "task commit_load failed: boom" in result.output
    assert "No space left on device" in result.output
