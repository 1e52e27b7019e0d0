"""One switch, never backwards: backfills keep `current`, versions are as-of exact, kills leave no mix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.serve import Manifest, Serving, publish
from pipelines.settings import get_settings
from tests.serve.factories import build_warehouse

D1, D2, D3 = date(2025, 7, 1), date(2025, 7, 2), date(2025, 7, 3)
KILL_POINTS = ("publish:staged", "publish:renamed", "publish:linked", "publish:switched")


def _with_history(path: Path, days: tuple[date, ...], customers: int = 120, seed: int = 0) -> Path:
    """A warehouse whose history mart holds rows of every day in `days` (as after a later run)."""
    build_warehouse(path, customers=customers, seed=seed)
    with duckdb.connect(str(path)) as con:
        con.execute("create or replace table marts.customer_segment_history as "
                    "select customer_id, d::date as as_of_date, segment as rfm_segment "
                    "from marts.customer_rfm, unnest(?::date[]) t(d)", [list(days)])  # fmt: skip
    return path


def _served(serving: Serving) -> tuple[str | None, str, str, date]:
    """(current, version inside rapport.duckdb, version of the Parquet manifest, its as-of)."""
    current = serving.current_version()
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        inside = {v for (v,) in con.execute("select distinct version from meta.manifest").fetchall()}
    manifest = Manifest.read(serving.current / "manifest.json")
    assert len(inside) == 1
    return current, inside.pop(), manifest.version, manifest.as_of_date


def test_a_backfill_writes_its_version_but_never_moves_current_back(tmp_path: Path) -> None:
    root, serving = tmp_path / "serving", Serving(tmp_path / "serving")
    later = publish(_with_history(tmp_path / "w.duckdb", (D1, D2, D3)), root, D3, "run_d3")
    backfill = publish(_with_history(tmp_path / "w.duckdb", (D1, D2, D3), seed=1), root, D2, "run_d2")
    assert later.made_current and not backfill.made_current
    assert serving.current_version() == later.version
    assert _served(serving) == (later.version, later.version, later.version, D3)
    assert (serving.version_dir(backfill.version) / "rapport.duckdb").exists()
    index = json.loads(serving.index.read_text())
    assert index["current"] == later.version and index["current_as_of_date"] == "2025-07-03"
    assert index["as_of_dates"] == ["2025-07-02", "2025-07-03"]
    assert any("not made current" in line for line in backfill.lines())
    # a rerun of the newest day replaces it
    rerun = publish(_with_history(tmp_path / "w.duckdb", (D1, D2, D3)), root, D3, "run_d3b")
    assert serving.current_version() == rerun.version


def test_every_table_of_a_version_holds_only_rows_dated_up_to_its_as_of_date(tmp_path: Path) -> None:
    warehouse = _with_history(tmp_path / "w.duckdb", (D1, D2, D3))
    manifest = publish(warehouse, tmp_path / "serving", D2, "run_d2")
    vdir = Serving(tmp_path / "serving").version_dir(manifest.version)
    with duckdb.connect(str(vdir / "rapport.duckdb"), read_only=True) as con:
        dates = con.execute("select max(as_of_date), count(*) from marts.customer_segment_history").fetchall()
        pq = con.execute(
            "select max(as_of_date) from read_parquet(?)",
            [str(vdir / "parquet/marts/customer_segment_history.parquet")],
        ).fetchall()
    rfm_rows = manifest.rows()["marts.customer_rfm"]
    assert dates == [(D2, 2 * rfm_rows)] and pq == [(D2,)]
    assert manifest.rows()["marts.customer_segment_history"] == 2 * rfm_rows


def _publish_in_child(warehouse: Path, root: Path, day: date, run_id: str, kill_at: str) -> int:
    code = (
        "import sys; from datetime import date; from pathlib import Path\n"
        "from pipelines.serve import publish\n"
        "publish(Path(sys.argv[1]), Path(sys.argv[2]), date.fromisoformat(sys.argv[3]), sys.argv[4])"
    )
    env = {**os.environ, "RAPPORT_KILL_AT": kill_at}
    args = [sys.executable, "-c", code, str(warehouse), str(root), day.isoformat(), run_id]
    return subprocess.run(args, env=env, check=False).returncode


@pytest.mark.parametrize("kill_at", KILL_POINTS)
def test_a_kill_between_any_two_publish_steps_exposes_one_version_and_the_rerun_heals(
    tmp_path: Path, kill_at: str
) -> None:
    root, serving = tmp_path / "serving", Serving(tmp_path / "serving")
    first = publish(_with_history(tmp_path / "w.duckdb", (D1,)), root, D1, "run_d1")
    warehouse = _with_history(tmp_path / "w.duckdb", (D1, D2), customers=170, seed=3)
    assert _publish_in_child(warehouse, root, D2, "run_d2", kill_at) == -9  # SIGKILL, no clean-up
    current, in_duckdb, in_parquet, as_of = _served(serving)
    assert current == in_duckdb == in_parquet  # never a mix
    switched = kill_at == "publish:switched"
    assert (as_of, current == first.version) == ((D2, False) if switched else (D1, True))
    again = publish(warehouse, root, D2, "run_d2_retry")
    assert _served(serving) == (again.version, again.version, again.version, D2)
    hidden = [p.name for p in [*serving.versions.iterdir(), *root.iterdir()] if p.name.endswith(".tmp")]
    assert hidden == []  # the rerun swept what the killed one left
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        assert con.execute("select count(*) from marts.customers").fetchall() == [(170,)]


def test_an_old_layout_with_a_hard_linked_duckdb_file_becomes_the_link(tmp_path: Path) -> None:
    root, serving = tmp_path / "serving", Serving(tmp_path / "serving")
    first = publish(build_warehouse(tmp_path / "w.duckdb"), root, D1, "run_1")
    serving.duckdb.unlink()
    os.link(serving.current / "rapport.duckdb", serving.duckdb)  # how earlier releases left it
    second = publish(build_warehouse(tmp_path / "w.duckdb", customers=90), root, D2, "run_2")
    assert serving.duckdb.is_symlink() and os.readlink(serving.duckdb) == "current/rapport.duckdb"
    assert _served(serving)[:3] == (second.version,) * 3 != (first.version,) * 3


def test_a_views_publish_killed_after_its_rename_is_never_read_and_the_rerun_sweeps_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Views mode writes the DuckDB file and manifest.json after the rename (serve/views.py)."""
    monkeypatch.setenv("RAPPORT_SERVING_DUCKDB", "views")
    get_settings.cache_clear()
    root, serving = tmp_path / "serving", Serving(tmp_path / "serving")
    try:
        first = publish(_with_history(tmp_path / "w.duckdb", (D1,)), root, D1, "run_d1")
        warehouse = _with_history(tmp_path / "w.duckdb", (D1, D2), customers=170, seed=3)
        assert _publish_in_child(warehouse, root, D2, "run_d2", "publish:renamed") == -9
        unfinished = [p for p in serving.versions.iterdir() if not (p / "manifest.json").exists()]
        assert len(unfinished) == 1 and not (unfinished[0] / "rapport.duckdb").exists()
        assert _served(serving) == (first.version, first.version, first.version, D1)
        assert json.loads(serving.index.read_text())["versions"] == [
            {"version": first.version, "as_of_date": D1.isoformat(), "run_id": "run_d1"}
        ]
        again = publish(warehouse, root, D2, "run_d2_retry")
    finally:
        get_settings.cache_clear()
    assert _served(serving) == (again.version, again.version, again.version, D2)
    assert all((p / "manifest.json").exists() for p in serving.versions.iterdir())
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        assert con.execute("select count(*) from marts.customers").fetchall() == [(170,)]
