"""What lets generate_dbt_docs (read-only) run beside the export: the export takes no writer lock
before it needs one, and the table the docs' catalog lists exists before either runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from pipelines.export.erased import ensure_erased
from pipelines.export.ledger_upgrade import upgrade_ledger
from pipelines.warehouse import connect, table_exists
from tests.holders import READER, holding


def test_a_ledger_with_nothing_to_upgrade_is_checked_beside_a_reader(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema exports; create table exports.runs (run_id varchar)")
        con.execute("create table exports.segment_sizes (segment varchar)")
    with holding(READER, warehouse, "reading"):
        code = "import sys; from pathlib import Path; from pipelines.export import ledger_upgrade as u\n"
        code += "print(u.upgrade_ledger(Path(sys.argv[1]), Path(sys.argv[2])))"
        done = subprocess.run(
            [sys.executable, "-c", code, str(warehouse), str(tmp_path / "exports")],
            capture_output=True,
            text=True,
            timeout=60,
        )  # a writer's lock would wait for the reader (600 s): the timeout fails the test
        assert done.stdout.strip() == "0" and "waiting" not in done.stderr
    assert upgrade_ledger(warehouse, tmp_path / "exports") == 0


def test_the_erased_table_exists_for_the_docs_and_keeps_what_it_holds(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(warehouse)).close()
    ensure_erased(warehouse)
    with connect(warehouse) as con:
        assert table_exists(con, "exports", "erased")
        con.execute("insert into exports.erased values ('id', 'd1')")
    ensure_erased(warehouse)
    with connect(warehouse, read_only=True) as con:
        assert con.execute("from exports.erased").fetchall() == [("id", "d1")]
