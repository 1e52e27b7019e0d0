"""Kill points: SIGKILL inside the commit, mid-dbt, mid-export, mid-webhook and between publish
steps, each followed by a rerun that must equal the clean run (marts, ledger, export bytes,
serving); and a backfill of an earlier day after a later one.

Each case copies the session `shop` home (one DAG run, shared) and runs single stages in a
subprocess with RAPPORT_KILL_AT set, so the kill hits the real code path, not a patched one.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest
import yaml

from pipelines.load import commit_staged, stage_landing
from pipelines.serve import Manifest, Serving
from pipelines.settings import Settings
from tests.export.loopback import receiver

pytestmark = pytest.mark.e2e


def _copy(shop: tuple[Settings, Path, date], tmp_path: Path) -> Path:
    home = tmp_path / "home"
    shutil.copytree(shop[0].home, home, symlinks=True, ignore=shutil.ignore_patterns("airflow"))
    return home


def _stage(home: Path, call: str, kill_at: str = "", **env: str) -> int:
    """Run `pipelines.stages.<call>` in its own process, as an Airflow task would."""
    environ = {**os.environ, "RAPPORT_HOME": str(home), "RAPPORT_KILL_AT": kill_at, **env}
    code = f"from pipelines import stages; stages.{call}"
    return subprocess.run([sys.executable, "-c", code], env=environ, check=False).returncode


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for a container's init to reap it."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _digest(warehouse: Path, schemas: tuple[str, ...]) -> dict[str, tuple[object, ...]]:
    """Row count and an order-free hash sum of every column, per table."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            "select table_schema || '.' || table_name from information_schema.tables "
            "where table_schema in ? and table_type = 'BASE TABLE' order by 1",
            [list(schemas)],
        ).fetchall()
        return {
            t: con.execute(f"select count(*), sum(hash(columns(*))) from {t}").fetchall()[0]
            for (t,) in tables
        }


def _files(day_dir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(day_dir)): p.read_bytes()
        for p in day_dir.rglob("*")
        if p.is_file() and p.name != "manifest.json"  # the manifest names the run
    }


def _leftovers(root: Path) -> list[str]:
    return [p.name for p in root.iterdir() if p.name.startswith(".") and ("tmp" in p.name or "old" in p.name)]


def test_kill_inside_the_commit_then_rerun_loads_exactly_once(shop, tmp_path: Path) -> None:
    _, landing, as_of = shop
    clean, killed = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    stage_landing(landing, clean, as_of, "r1")
    commit_staged(clean, "r1")
    stage_landing(landing, killed, as_of, "r1")
    code = "import sys; from pathlib import Path; from pipelines.load import commit_staged\n"
    code += "commit_staged(Path(sys.argv[1]), 'r1')"
    env = {**os.environ, "RAPPORT_KILL_AT": "load:in_commit"}
    assert subprocess.run([sys.executable, "-c", code, str(killed)], env=env, check=False).returncode == -9
    assert all(count == 0 for count, *_ in _digest(killed, ("raw",)).values())  # rolled back
    commit_staged(killed, "r1")  # the task's retry
    data = {t: d for t, d in _digest(killed, ("raw",)).items() if not t.startswith("raw._load")}
    assert data == {t: d for t, d in _digest(clean, ("raw",)).items() if not t.startswith("raw._load")}
    ledger = "select * exclude (loaded_at) from raw._load_ledger order by source_file"  # wall-clock column
    runs = "select run_id, as_of from raw._load_runs"
    with duckdb.connect(str(clean), read_only=True) as a, duckdb.connect(str(killed), read_only=True) as b:
        assert a.execute(ledger).fetchall() == b.execute(ledger).fetchall()
        assert a.execute(runs).fetchall() == b.execute(runs).fetchall() == [("r1", as_of)]


def test_kill_mid_dbt_then_rerun_rebuilds_the_same_marts(shop, tmp_path: Path) -> None:
    settings, _, as_of = shop
    home = _copy(shop, tmp_path)
    warehouse = home / "warehouse.duckdb"
    # when dbt starts the RFM mart: staging and intermediate rebuilt, marts half done
    assert _stage(home, f"build('{as_of}')", kill_at="dbt:model:marts.customer_rfm") == -9
    child = json.loads((home / "warehouse.duckdb.lock").read_text())["child"]
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "dbt outlived its task"
    assert _stage(home, f"export('{as_of}', 'after_kill')") == 1  # a half-built warehouse is refused
    assert _stage(home, f"build('{as_of}')") == 0
    assert _digest(warehouse, ("marts", "segments")) == _digest(
        settings.warehouse_path, ("marts", "segments")
    )


def test_kills_mid_export_leave_no_list_behind_and_the_rerun_writes_the_same_bytes(
    shop, tmp_path: Path
) -> None:
    settings, _, as_of = shop
    home = _copy(shop, tmp_path)
    exports = home / "exports"
    latest = (exports / "latest").read_text()
    for kill_at in ("export:after_destination", "export:before_swap"):  # two crashed attempts
        assert _stage(home, f"export('{as_of}', 'killed')", kill_at=kill_at) == -9
        assert _leftovers(exports), "the kill should have left a staging folder (else it hit nothing)"
        assert (exports / "latest").read_text() == latest
        assert _files(exports / str(as_of)) == _files(settings.export_dir / str(as_of))  # untouched
    assert _stage(home, f"export('{as_of}', 'rerun')") == 0
    assert _leftovers(exports) == []  # swept: no customer list outlives the crash
    assert _files(exports / str(as_of)) == _files(settings.export_dir / str(as_of))


def test_kill_mid_webhook_then_rerun_delivers_each_batch_once(shop, tmp_path: Path) -> None:
    _, _, as_of = shop
    home = _copy(shop, tmp_path)
    config = yaml.safe_load((Path(__file__).parents[2] / "config" / "destinations.yml").read_text())
    with receiver() as hook:
        config["destinations"]["automation"].update(enabled=True, url=hook.url, batch_size=20)
        (tmp_path / "d.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        env = {"RAPPORT_DESTINATIONS_FILE": str(tmp_path / "d.yml"), "RAPPORT_WEBHOOK_TOKEN": "t"}
        assert _stage(home, f"export('{as_of}', 'killed')", kill_at="export:webhook_acked", **env) == -9
        assert hook.requests == 1
        assert _stage(home, f"export('{as_of}', 'rerun')", **env) == 0
        assert hook.requests == len(hook.applied) > 1, "the acknowledged batch is not sent again"
        assert set(hook.applied.values()) == {1}


def test_kill_between_publish_steps_then_rerun_serves_one_whole_version(shop, tmp_path: Path) -> None:
    settings, _, as_of = shop
    home = _copy(shop, tmp_path)
    serving, before = Serving(home / "serving"), Serving(settings.serving_dir)
    old = serving.current_version()
    assert _stage(home, f"publish('{as_of}', 'killed')", kill_at="publish:linked") == -9
    assert serving.current_version() == old
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        assert {v for (v,) in con.execute("select version from meta.manifest").fetchall()} == {old}
    assert _stage(home, f"publish('{as_of}', 'rerun')") == 0
    manifest = Manifest.read(serving.current / "manifest.json")
    assert manifest.version != old and manifest.as_of_date == as_of
    assert manifest.rows() == Manifest.read(before.current / "manifest.json").rows()
    assert [p.name for p in serving.versions.iterdir() if p.name.startswith(".")] == []


def test_a_backfill_after_a_later_day_keeps_what_bi_and_crms_see_on_the_later_day(
    shop, tmp_path: Path
) -> None:
    settings, _, as_of = shop
    home = _copy(shop, tmp_path)
    earlier = as_of - timedelta(days=1)
    serving, exports = Serving(home / "serving"), home / "exports"
    current = serving.current_version()
    for call in (
        f"build('{earlier}')",
        f"fit_clv('{earlier}')",  # the CLV segments of the earlier day, not the later day's fit
        f"build_clv('{earlier}')",
        f"export('{earlier}', 'backfill')",
        f"publish('{earlier}', 'backfill')",
    ):
        assert _stage(home, call) == 0, call
    assert serving.current_version() == current  # BI still reads the later day
    index = json.loads(serving.index.read_text())
    assert index["current_as_of_date"] == str(as_of) and str(earlier) in index["as_of_dates"]
    backfilled = next(v["version"] for v in index["versions"] if v["as_of_date"] == str(earlier))
    with duckdb.connect(str(serving.version_dir(backfilled) / "rapport.duckdb"), read_only=True) as con:
        for table in ("customer_segment_history", "segment_transitions"):
            ((latest,),) = con.execute(f"select max(as_of_date) from marts.{table}").fetchall()
            assert latest is None or latest <= earlier, table
        ((valid,),) = con.execute("select max(valid_from) from marts.customer_segment_periods").fetchall()
        assert valid is None or valid <= earlier
        # the history, a view over the backfill's periods (pipelines/serve/history.py), holds the
        # warehouse's rows of the days up to the backfilled one, as the version's Parquet does
        parquet = serving.version_dir(backfilled) / "parquet" / "marts" / "customer_segment_history.parquet"
        con.execute(f"attach '{home / 'warehouse.duckdb'}' as w (read_only)")
        served = "marts.customer_segment_history"
        for other in (
            f"read_parquet('{parquet}')",
            f"(from w.{served} where as_of_date <= date '{earlier}')",
        ):
            assert con.execute(
                f"select (select count(*) from (from {served} except all from {other})),"
                f" (select count(*) from (from {other} except all from {served}))"
            ).fetchall()[0] == (0, 0), other
        assert con.execute("select count(*) from duckdb_views() where view_name = 'customer_segment_history'"
                           ).fetchall() == [(1,)]  # fmt: skip
    assert (exports / "latest").read_text().strip() == str(as_of)
    assert _files(exports / str(as_of)) == _files(settings.export_dir / str(as_of))
    assert (exports / str(earlier) / "manifest.json").exists()
