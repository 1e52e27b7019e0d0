"""Publishing: complete versions, atomic pointers, manifest that matches the files, old clients."""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import subprocess
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.serve import Manifest, Serving, publish
from pipelines.serve.quality import quality_summary
from pipelines.settings import get_settings
from tests.serve.factories import build_warehouse, old_duckdb_python

AS_OF = date(2025, 7, 1)


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return build_warehouse(tmp_path / "warehouse.duckdb")


def test_publish_writes_every_mart_as_parquet_and_duckdb_with_a_true_manifest(
    warehouse: Path, tmp_path: Path
) -> None:
    manifest = publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    serving = Serving(tmp_path / "serving")
    assert serving.current_version() == manifest.version
    assert Manifest.read(serving.current / "manifest.json") == manifest
    names = set(manifest.rows())
    assert {"marts.customers", "marts.customer_rfm", "segments.segment_champions"} <= names
    assert not any(n.startswith("raw.") for n in names)
    with duckdb.connect(str(warehouse), read_only=True) as source, duckdb.connect() as con:
        for t in manifest.tables:
            parquet = serving.current / t.parquet
            assert hashlib.sha256(parquet.read_bytes()).hexdigest() == t.sha256
            expected = source.execute(f"select count(*) from {t.name}").fetchall()[0][0]
            assert (
                con.execute("select count(*) from read_parquet(?)", [str(parquet)]).fetchall()[0][0] == t.rows
            )
            assert t.rows == expected
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        inside = dict(con.execute("select table_name, row_count from meta.manifest").fetchall())
        assert inside == manifest.rows()
        assert con.execute("select sum(net_revenue) from marts.customers").fetchall()[0][0] > 0


def test_republish_swaps_pointers_keeps_history_and_prunes_old_versions(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "serving"
    published = [publish(warehouse, root, AS_OF, f"run_{i}", keep=2) for i in range(4)]
    serving = Serving(root)
    assert [m.previous_version for m in published[1:]] == [m.version for m in published[:-1]]
    assert sorted(p.name for p in serving.versions.iterdir()) == [m.version for m in published[-2:]]
    assert serving.current_version() == published[-1].version
    # the stable DuckDB path is the newest version's file, not a copy of an older one
    assert os.path.samefile(serving.duckdb, serving.current / "rapport.duckdb")
    assert len(list(serving.history.glob("*.rfm.parquet"))) == 4


def test_a_failed_publish_leaves_the_current_version_untouched(warehouse: Path, tmp_path: Path) -> None:
    root = tmp_path / "serving"
    first = publish(warehouse, root, AS_OF, "run_ok")
    with pytest.raises(FileNotFoundError, match=r"catalog\.json"):
        publish(warehouse, root, AS_OF, "run_bad", docs_target=tmp_path / "no-dbt-target")
    serving = Serving(root)
    assert serving.current_version() == first.version
    assert [p.name for p in serving.versions.iterdir()] == [first.version]  # no half-built leftovers


def test_dbt_docs_are_published_under_docs(warehouse: Path, tmp_path: Path) -> None:
    target = tmp_path / "target"
    target.mkdir()
    for name in ("index.html", "manifest.json", "catalog.json"):
        (target / name).write_text(f"{name} of this run")
    publish(warehouse, tmp_path / "serving", AS_OF, "run_1", docs_target=target)
    docs = Serving(tmp_path / "serving").docs
    assert (docs / "catalog.json").read_text() == "catalog.json of this run"


def test_an_old_duckdb_client_opens_the_serving_file(warehouse: Path, tmp_path: Path) -> None:
    manifest = publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    script = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
counts = {n: con.execute(f"select count(*) from {n}").fetchall()[0][0]
          for (n,) in con.execute("select table_name from meta.manifest").fetchall()}
first_id = con.execute("select source_customer_ids[1] from marts.customers limit 1").fetchall()[0][0]
print(json.dumps({"version": duckdb.__version__, "counts": counts, "ids": first_id}))
"""
    serving_db = str(Serving(tmp_path / "serving").duckdb)
    proc = subprocess.run(
        [str(old_duckdb_python()), "-c", script, serving_db], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen["version"] == "1.1.3"
    assert seen["counts"] == manifest.rows()
    assert seen["ids"] == "s0"


def test_quality_summary_counts_suites_and_quarantine_of_this_run_only(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create schema quality; create schema raw")
        con.execute(
            "create table quality.validation_results as select * from (values "
            "('r1', 'orders', 'b1', 'not_null', 'id', true, 0, 'critical'),"
            "('r1', 'orders', 'b1', 'email_ok', 'email', false, 3, 'warning'),"
            "('r1', 'export', 'champions', 'unique', 'id', false, 1, 'critical'),"
            "('r0', 'orders', 'b0', 'not_null', 'id', false, 9, 'critical')"
            ') t(run_id, suite, batch, expectation, "column", success, unexpected_count, severity)'
        )
        con.execute(
            "create table raw._load_ledger as select * from "
            "(values ('r1', 90, 10), ('r1', 5, 0), ('r0', 7, 7)) t(run_id, rows_loaded, rows_quarantined)"
        )
        summary = quality_summary(con, "r1")
    assert (summary.suites, summary.suites_passed) == (2, 1)
    assert (summary.rows_loaded, summary.rows_quarantined) == (95, 10)
    assert summary.failed_expectations == [
        "export / champions: unique (id) [critical]",
        "orders / b1: email_ok (email) [warning]",
    ]


def test_every_parquet_file_holds_exactly_the_rows_of_the_serving_file(
    warehouse: Path, tmp_path: Path
) -> None:
    manifest = publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    serving = Serving(tmp_path / "serving")
    with duckdb.connect(str(serving.duckdb), read_only=True) as con:
        for t in manifest.tables:
            parquet = str(serving.current / t.parquet)
            both_ways = con.execute(
                f"select (select count(*) from (from {t.name} except all from read_parquet($p))),"
                f" (select count(*) from (from read_parquet($p) except all from {t.name}))",
                {"p": parquet},
            ).fetchall()[0]
            assert both_ways == (0, 0), t.name


def test_a_failed_parquet_write_leaves_no_version_and_current_untouched(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copying = importlib.import_module("pipelines.serve.table")  # publish and re-issue
    root = tmp_path / "serving"
    first = publish(warehouse, root, AS_OF, "run_ok")
    write = copying._parquet

    def failing(
        con: duckdb.DuckDBPyConnection, source: str, schema: str, table: str, staging: Path
    ) -> object:
        if table == "customer_rfm":
            raise OSError("disk full")
        return write(con, source, schema, table, staging)

    monkeypatch.setattr(copying, "_parquet", failing)
    with pytest.raises(OSError, match="disk full"):
        publish(warehouse, root, AS_OF, "run_bad")
    serving = Serving(root)
    assert serving.current_version() == first.version
    assert [p.name for p in serving.versions.iterdir()] == [first.version]


@pytest.mark.parametrize(
    ("general", "own", "expected"), [("8GiB", "2GiB", "2.0 GiB"), ("1GiB", "2GiB", "1.0 GiB")]
)
def test_publish_copies_under_its_own_memory_cap(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, general: str, own: str, expected: str
) -> None:
    """Under the general cap DuckDB's buffer pool kept every block publish passed (7 GiB at 3M)."""
    publishing = importlib.import_module("pipelines.serve.publish")
    seen: list[str] = []
    resolve = publishing.erased_ids

    def spy(con: duckdb.DuckDBPyConnection) -> list[str]:
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        return resolve(con)

    monkeypatch.setattr(publishing, "erased_ids", spy)
    monkeypatch.setenv("RAPPORT_DUCKDB_MEMORY_LIMIT", general)
    monkeypatch.setenv("RAPPORT_DUCKDB_PUBLISH_MEMORY_LIMIT", own)
    get_settings.cache_clear()
    try:
        publish(warehouse, tmp_path / "serving", AS_OF, "run_1")
    finally:
        get_settings.cache_clear()
    assert seen == [expected]


OLD_CLIENT_COUNTS = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
print(json.dumps({n: con.execute(f"select count(*) from {n}").fetchall()[0][0]
                  for (n,) in con.execute("select table_name from meta.manifest").fetchall()}))
"""


def test_views_mode_serves_the_same_rows_through_views_an_old_client_reads(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with duckdb.connect(str(warehouse)) as con:  # an erased person: filtered the same way in both modes
        con.execute(
            "alter table marts.customers drop column source_customer_ids;"
            " alter table marts.customers add column source_customer_ids varchar;"
            " alter table marts.customers add column email varchar;"
            " alter table marts.customers add column phone_e164 varchar;"
            " update marts.customers set source_customer_ids = 'src-' || customer_id,"
            " email = customer_id || '@example.com';"
            " create table raw.erasures (email varchar, customer_id varchar, phone varchar)"
        )
        con.execute("insert into raw.erasures values (null, 'c00004', null)")
    copied = publish(warehouse, tmp_path / "tables", AS_OF, "run_1")
    monkeypatch.setenv("RAPPORT_SERVING_DUCKDB", "views")
    get_settings.cache_clear()
    try:
        viewed = publish(warehouse, tmp_path / "views", AS_OF, "run_1")
    finally:
        get_settings.cache_clear()
    assert viewed.rows() == copied.rows() and viewed.rows()["marts.customers"] == 199
    views_db = Serving(tmp_path / "views").duckdb
    assert Manifest.read(Serving(tmp_path / "views").current / "manifest.json") == viewed
    assert hashlib.sha256(views_db.read_bytes()).hexdigest() == viewed.duckdb_sha256
    with duckdb.connect(str(views_db), read_only=True) as con:
        con.execute(f"attach '{Serving(tmp_path / 'tables').duckdb}' as copied (read_only)")
        kinds = con.execute(
            "select distinct table_type from information_schema.tables"
            " where table_catalog = current_database() and table_schema in ('marts', 'segments')"
        ).fetchall()
        assert kinds == [("VIEW",)]
        for name in viewed.rows():
            both_ways = con.execute(
                f"select (select count(*) from (from {name} except all from copied.{name})),"
                f" (select count(*) from (from copied.{name} except all from {name}))"
            ).fetchall()[0]
            assert both_ways == (0, 0), name
    proc = subprocess.run(
        [str(old_duckdb_python()), "-c", OLD_CLIENT_COUNTS, str(views_db)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == viewed.rows()
