"""The warehouse file's rewrite: what it reads, what it must cover (pipelines/forget/rewrite.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.forget import forget, forget_erased
from pipelines.settings import Settings


def test_the_copy_reads_the_sweep_from_the_wal_without_a_checkpoint_first(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep's changes reach the copy through the WAL (a checkpoint would write the touched
    columns into the old file only for the copy to replace it); the WAL goes with the old file."""
    wal = home / "warehouse.duckdb.wal"
    seen: list[int] = []
    copy = forget.rewrite

    def watched(path: Path, memory_limit: str) -> None:
        seen.append(wal.stat().st_size if wal.exists() else 0)
        copy(path, memory_limit)

    monkeypatch.setattr(forget, "rewrite", watched)
    done = forget_erased(Settings(home=home), "run_1")
    assert done.people == 2 and done.rewrite_seconds is not None
    assert len(seen) == 1 and seen[0] > 0  # the sweep was committed to the WAL, not checkpointed
    assert not wal.exists()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id from raw.customers").fetchall() == [("C2",)]
        assert con.execute("select customer_id from raw.orders order by order_id").fetchall() == [
            (None,), (None,), ("C2",), ("C10",)
        ]  # fmt: skip
        assert con.execute("select count(*) from raw._forget_pending").fetchall() == [(0,)]
    data = (home / "warehouse.duckdb").read_bytes()
    assert b"Smith" not in data and b"98765" not in data


def test_a_rewrite_that_waits_leaves_the_sweep_checkpointed_in_the_file(home: Path) -> None:
    """With a purge window the file keeps the sweep for days: it is checkpointed, no WAL waits."""
    done = forget_erased(Settings(home=home, forget_purge_days=3), "run_1", date(2026, 7, 1))
    assert done.rewrite_seconds is None and done.purge_by == date(2026, 7, 4)
    assert not (home / "warehouse.duckdb.wal").exists()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id from raw.customers").fetchall() == [("C2",)]


def test_rows_deleted_before_forget_leave_the_file_though_no_table_still_holds_them(home: Path) -> None:
    """dbt's incremental models delete a person's old rows and insert anonymised ones before forget
    runs: the table holds no form of theirs, so forget changes nothing in it, yet the deleted rows'
    bytes are still in its row groups. Rewriting only the tables forget changed would keep them."""
    address = "12 Lake Road, Koregaon Park"
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "create schema marts; create table marts.visits (customer_id varchar, address varchar, n int);"
            f" insert into marts.visits values ('C1', '{address}', 1), ('C2', '5 Hill St', 2); checkpoint;"
            " delete from marts.visits where customer_id = 'C1';"
            " insert into marts.visits values (null, null, 1); checkpoint"
        )
    assert address.encode() in (home / "warehouse.duckdb").read_bytes()  # a deleted row, still in the file
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select * from marts.visits order by n").fetchall() == [
            (None, None, 1), ("C2", "5 Hill St", 2)
        ]  # fmt: skip
    assert address.encode() not in (home / "warehouse.duckdb").read_bytes()
