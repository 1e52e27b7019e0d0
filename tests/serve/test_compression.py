"""Mostly distinct string columns are declared FSST in the serving file; rows and types unchanged."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import duckdb

from pipelines.serve import Serving, publish
from pipelines.serve.compression import column_definitions
from pipelines.serve.reissue import reissue_current
from tests.serve.factories import build_warehouse, old_duckdb_python

AS_OF = date(2025, 7, 1)
ROWS = 5_000  # above MIN_ROWS: the sample decides


def _warehouse(path: Path) -> Path:
    build_warehouse(path)
    with duckdb.connect(str(path)) as con:
        con.execute(
            "create table marts.events as select 'E' || lpad(range::varchar, 7, '0') as event_id,"
            " ['email', 'sms'][range % 2 + 1] as channel, range::integer as n,"
            " (range % 1000)::decimal(12, 2) as amount, [range::varchar] as tags, null::varchar as empty"
            f" from range({ROWS})"
        )
    return path


def test_only_mostly_distinct_strings_are_declared_fsst(tmp_path: Path) -> None:
    with duckdb.connect(str(_warehouse(tmp_path / "w.duckdb"))) as con:
        declared = column_definitions(con, "select * from marts.events")
        tiny = column_definitions(con, "select * from marts.events limit 100")
    assert declared == (
        '"event_id" VARCHAR using compression fsst, "channel" VARCHAR, "n" INTEGER,'
        ' "amount" DECIMAL(12,2), "tags" VARCHAR[], "empty" VARCHAR'
    )
    assert tiny is None  # one small segment: a plain `create table as`


def test_the_serving_file_declares_fsst_keeps_rows_and_types_and_an_old_client_reads_it(
    tmp_path: Path,
) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb")
    manifest = publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    serving = str(Serving(tmp_path / "serving").duckdb)
    with duckdb.connect(serving, read_only=True) as con:
        (sql,) = con.execute("select sql from duckdb_tables() where table_name = 'events'").fetchall()[0]
        served = con.execute("describe marts.events").fetchall()
        con.execute(f"attach '{warehouse}' as w (read_only)")
        source = con.execute("describe w.marts.events").fetchall()
        differ = con.execute(
            "select (select count(*) from (from marts.events except all from w.marts.events)),"
            " (select count(*) from (from w.marts.events except all from marts.events))"
        ).fetchall()[0]
        compression = con.execute(
            "select distinct compression from pragma_storage_info('marts.events')"
            " where column_name = 'event_id' and segment_type = 'VARCHAR'"
        ).fetchall()
    assert "event_id VARCHAR USING COMPRESSION FSST, channel VARCHAR," in sql
    assert [c[:2] for c in served] == [c[:2] for c in source]
    assert differ == (0, 0)
    assert compression == [("FSST",)]
    script = "import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); " + (
        "print(c.execute('select count(distinct event_id) from marts.events').fetchall()[0][0])"
    )
    old = subprocess.run([str(old_duckdb_python()), "-c", script, serving], capture_output=True, text=True)
    assert old.returncode == 0, old.stderr
    assert int(old.stdout) == ROWS == manifest.rows()["marts.events"]


def test_a_re_issue_writes_the_serving_file_as_publish_does(tmp_path: Path) -> None:
    """A backfill's re-issue of `current` declares FSST too, and keeps every other row."""
    warehouse = _warehouse(tmp_path / "w.duckdb")
    first = publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    serving = Serving(tmp_path / "serving")
    reissued = reissue_current(serving, ["c00003"])
    assert reissued is not None and serving.current_version() == reissued
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        (sql,) = con.execute("select sql from duckdb_tables() where table_name = 'events'").fetchall()[0]
        gone = "select count(*) from marts.customers where customer_id = 'c00003'"
        customers = con.execute(gone).fetchall()
        events = con.execute("select count(*) from marts.events").fetchall()[0][0]
    assert "event_id VARCHAR USING COMPRESSION FSST, channel VARCHAR," in sql
    assert customers == [(0,)] and events == ROWS == first.rows()["marts.events"]


def test_the_parquet_is_zstd_level_1_of_the_served_table(tmp_path: Path) -> None:
    """Same bytes as DuckDB's zstd level-1 Parquet of the served table (not its default level 3)."""
    manifest = publish(_warehouse(tmp_path / "w.duckdb"), tmp_path / "serving", AS_OF, "run_1")
    serving = Serving(tmp_path / "serving")
    (entry,) = [t for t in manifest.tables if t.name == "marts.events"]
    written = (serving.current / entry.parquet).read_bytes()
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        for level in (1, 3):
            con.execute(
                f"copy marts.events to '{tmp_path / f'{level}.parquet'}'"
                f" (format parquet, compression zstd, compression_level {level})"
            )
    assert written == (tmp_path / "1.parquet").read_bytes() != (tmp_path / "3.parquet").read_bytes()
