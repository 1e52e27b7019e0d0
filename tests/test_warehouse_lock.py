"""The warehouse lock: it names its holder, covers dbt, and dies with a killed task."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.ops.freshness import StaleSource, build_after_freshness
from pipelines.settings import Settings, get_settings
from pipelines.transform import DbtFailed
from pipelines.warehouse import WarehouseBusy, connect
from tests.holders import BI_TOOL, READER, holding

HOLD = """
import sys, time
from pathlib import Path
from pipelines.warehouse import exclusive
with exclusive(Path(sys.argv[1])):
    print("holding", flush=True)
    time.sleep(60)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_a_waiting_opener_names_the_holder_and_proceeds_when_it_is_gone(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    with holding(HOLD, warehouse, "holding") as holder:
        code = "import sys; from pathlib import Path; from pipelines.warehouse import connect\n"
        code += "with connect(Path(sys.argv[1])) as con: print(con.execute('select 42').fetchall())"
        waiter = subprocess.Popen(
            [sys.executable, "-c", code, str(warehouse)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert waiter.stderr is not None
        line = waiter.stderr.readline()
        assert f"waiting for the warehouse lock, held by pid {holder.pid}" in line and "exclusive" in line
    out, _ = waiter.communicate(timeout=60)
    assert out.strip() == "[(42,)]"


def test_a_bi_tool_holding_the_warehouse_is_named_with_where_to_read_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    get_settings.cache_clear()  # the message names this home's serving folder, not a cached one
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    try:
        with (
            holding(BI_TOOL, warehouse, "open") as bi,
            pytest.raises(WarehouseBusy) as err,
            connect(warehouse),
        ):
            pass
    finally:
        get_settings.cache_clear()
    message = str(err.value)
    assert f"pid {bi.pid}" in message and "read_only=True" in message
    assert "must read" in message and str(tmp_path / "serving") in message


def test_a_task_killed_mid_dbt_takes_dbt_with_it_and_frees_the_lock(tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from pipelines.settings import Settings\n"
        "from pipelines.transform import run_dbt\n"
        "run_dbt(Settings(home=Path(sys.argv[1])), ['parse'])"
    )
    env = {**os.environ, "RAPPORT_KILL_AT": "dbt:parse"}
    task = subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=False)
    assert task.returncode == -9
    lock = tmp_path / "warehouse.duckdb.lock"
    child = json.loads(lock.read_text())["child"]  # the holder note names the dbt child
    deadline = time.monotonic() + 5
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child), "dbt outlived the task that started it"
    import fcntl

    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free at once, no orphan holds it


def test_a_dbt_failure_in_the_freshness_step_is_not_reported_as_a_stale_source(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    target = tmp_path / "dbt" / "target"
    target.mkdir(parents=True)
    # a previous run's verdict must not be taken for this run's
    verdict = {
        "unique_id": "source.rapport.shop.orders",
        "status": "error",
        "max_loaded_at_time_ago_in_s": 9e6,
    }
    (target / "sources.json").write_text(json.dumps({"results": [verdict]}))
    settings.warehouse_path.write_text("not a duckdb file")  # dbt cannot open it
    with pytest.raises(DbtFailed, match="not a stale source") as err:
        build_after_freshness(settings, date(2025, 7, 1), ["build"])
    assert not isinstance(err.value, StaleSource)


def test_readers_share_the_warehouse_and_a_writer_waits_for_them(tmp_path: Path) -> None:
    """Read-only openers hold the lock together (the docs beside the export's reads); a writer
    waits until the last reader is gone, saying that readers hold it."""
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).execute("create table t as select 42 as x").close()
    with holding(READER, warehouse, "reading"):
        code = "import sys; from pathlib import Path; from pipelines.warehouse import connect\n"
        code += (
            "with connect(Path(sys.argv[1]), read_only=True) as con: print(con.execute('from t').fetchall())"
        )
        second = subprocess.run(
            [sys.executable, "-c", code, str(warehouse)], capture_output=True, text=True, timeout=30
        )
        assert second.stdout.strip() == "[(42,)]" and "waiting" not in second.stderr
        writer = subprocess.Popen(
            [sys.executable, "-c", code.replace(", read_only=True", ""), str(warehouse)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert writer.stderr is not None
        assert "held by read-only opener(s)" in writer.stderr.readline()
    out, _ = writer.communicate(timeout=60)
    assert out.strip() == "[(42,)]"


def test_a_read_only_dbt_command_opens_the_warehouse_beside_a_reader(tmp_path: Path) -> None:
    """run_dbt(read_only=True) (the docs) opens the file read-only: it runs while another process
    reads it; a plain dbt command cannot open it then."""
    from pipelines.transform import run_dbt

    settings = Settings(home=tmp_path)
    duckdb.connect(str(settings.warehouse_path)).execute("create table t as select 42 as x").close()
    with holding(BI_TOOL, settings.warehouse_path, "open"):
        run_dbt(settings, ["show", "--inline", "select x from t"], read_only=True)
        with pytest.raises(DbtFailed, match="lock"):
            run_dbt(settings, ["show", "--inline", "select x from t"])
