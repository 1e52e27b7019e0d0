"""What a user types or brings that is wrong gets one line saying what to do, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _rapport(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = str(Path(sys.executable).with_name("rapport"))
    env = {**os.environ, "RAPPORT_HOME": str(home), "RAPPORT_LANDING_CONFIG": str(home / "none.yml")}
    return subprocess.run([exe, *args], env=env, text=True, capture_output=True, check=False)


def _one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    folder.mkdir()
    return folder


def test_as_of_in_another_format(tmp_path: Path, landing: Path) -> None:
    proc = _rapport(tmp_path, "run", "--landing", str(landing), "--as-of", "28/11/2026")
    _one_line_error(proc, "--as-of '28/11/2026' is not a date", "YYYY-MM-DD")
    assert "Traceback" in (tmp_path / "logs" / "cli.log").read_text()  # kept for whoever debugs


def test_missing_folder(tmp_path: Path) -> None:
    _one_line_error(_rapport(tmp_path, "run", "--landing", str(tmp_path / "nope")), "does not exist")


def test_renamed_columns_in_the_default_as_of(tmp_path: Path, landing: Path) -> None:
    (landing / "orders.csv").write_text("Order ID,Customer ID,Order Date,Total\n1,c1,2024-01-01,5\n")
    proc = _rapport(tmp_path, "as-of", "--landing", str(landing))
    _one_line_error(proc, "'ordered_at'", "entities.orders.columns", "--as-of")


def test_unreadable_dates_in_the_default_as_of(tmp_path: Path, landing: Path) -> None:
    (landing / "orders.csv").write_text("order_id,customer_id,ordered_at,amount\n1,c1,yesterday,5\n")
    _one_line_error(_rapport(tmp_path, "as-of", "--landing", str(landing)), "date_formats")


def test_summary_before_any_run(tmp_path: Path) -> None:
    _one_line_error(_rapport(tmp_path, "summary", "--as-of", "2024-01-01"), "rapport run --landing")
