"""What forget_erased remembers between runs: the forms it looked for (keyed hashes), the loaded
files it searched, a rewrite it owes."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.forget import forget, forget_erased
from pipelines.forget.swept import record, split
from pipelines.forget.tokens import Tokens
from pipelines.settings import Settings, get_settings

EMAIL = "anna.smith@example.com"
LEDGER = (
    "create table raw._load_ledger (source_file varchar, entity varchar, size_bytes bigint, checksum varchar,"
    " rows_in bigint, rows_loaded bigint, rows_quarantined bigint, run_id varchar, loaded_at timestamp)"
)


def load(con: duckdb.DuckDBPyConnection, source_file: str, at: str) -> None:
    """What commit_load writes about a loaded file (raw rows beside it)."""
    con.execute("delete from raw._load_ledger where source_file = ?", [source_file])
    con.execute(
        "insert into raw._load_ledger values (?, 'orders', 1, 'x', 1, 1, 0, 'r', ?)", [source_file, at]
    )


# dbt's int_customers_erased lists her again: the erasure list still names her
ANNA = f"insert into intermediate.int_customers_erased values ('C1', 'C1', '{EMAIL}', null, true)"
kinds = st.frozensets(st.text(alphabet="aB1@. ", min_size=1, max_size=4), max_size=4)


@settings(max_examples=60, deadline=None)
@given(ids=kinds, texts=kinds, hashes=kinds, ids2=kinds, texts2=kinds, hashes2=kinds)
def test_old_forms_are_exactly_those_the_last_run_looked_for_of_the_same_kind(
    ids: frozenset[str],
    texts: frozenset[str],
    hashes: frozenset[str],
    ids2: frozenset[str],
    texts2: frozenset[str],
    hashes2: frozenset[str],
) -> None:
    con = duckdb.connect()
    con.execute("create schema raw")
    before, now = Tokens(ids, texts, hashes), Tokens(ids2, texts2, hashes2)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_ERASURE_KEY", "k" * 64)
        get_settings.cache_clear()
        split(con, before)
        record(con, before, "r1", changed=False)
        old, new = split(con, now)
    get_settings.cache_clear()
    assert old == Tokens(ids & ids2, texts & texts2, hashes & hashes2)
    assert new == Tokens(ids2 - ids, texts2 - texts, hashes2 - hashes)
    stored = [d for (d,) in con.execute("select digest from raw._forget_tokens").fetchall()]
    # keyed hashes only, no form in plain (a form of hex letters may occur inside a digest by chance)
    assert all(re.fullmatch("[0-9a-f]{64}", d) for d in stored), stored
    assert not set(stored) & set(before.all())


def redeliver(con: duckdb.DuckDBPyConnection, source_file: str, at: str) -> None:
    con.execute(
        "insert into raw.customers values ('C1', 'Anna.Smith@Example.com', 'Anna', 'Smith',"
        " '+91 98765 43210', 'IN', ?)",
        [source_file],
    )
    load(con, source_file, at)
    con.execute(ANNA)


def second_day(home: Path, source_file: str) -> None:
    """The next day: her shop still holds her, so a customers file re-delivers her record and
    a file of orders lands with her id and email in a note; dbt lists her again (the erasure
    list still names her)."""
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        redeliver(con, "customers/day2.csv", "2026-07-02 01:00:00")
        con.execute("alter table raw.orders add column if not exists note varchar")
        con.execute("alter table raw.orders add column if not exists _source_file varchar")
        con.execute(
            f"insert into raw.orders values ('O9', ' C1 ', 9.99, 'mail {EMAIL.upper()}', '{source_file}')"
        )
        load(con, source_file, "2026-07-02 01:00:00")


def test_a_forgotten_person_in_a_newly_loaded_file_is_erased_and_old_files_are_not_searched_again(
    home: Path,
) -> None:
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(LEDGER)
        con.execute("alter table raw.orders add column note varchar")
        con.execute("alter table raw.orders add column _source_file varchar")
        con.execute("update raw.orders set _source_file = 'orders/day1.csv'")
        load(con, "orders/day1.csv", "2026-07-01 01:00:00")
    first = forget_erased(Settings(home=home), "run_1")
    assert first.people == 2 and first.new_forms > 0

    second_day(home, "orders/day2.csv")
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        # a cell written behind the load ledger's back into an already searched file: the
        # ledger is the contract, so the next run does not read that file again
        con.execute(f"update raw.orders set note = '{EMAIL}' where order_id = 'O3'")
    second = forget_erased(Settings(home=home), "run_2")
    assert second.people == 1 and second.new_forms == 0  # every form of hers was looked for before
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute("select order_id, customer_id, note from raw.orders order by 1").fetchall()
        counted = con.execute("select * from raw._erased_rows where run_id = 'run_2'").fetchall()
    assert rows == [("O1", None, None), ("O2", None, None), ("O3", "C2", EMAIL), ("O4", "C10", None),
                    ("O9", None, None)]  # fmt: skip
    assert sorted(counted) == [
        ("run_2", "customers", "customers/day2.csv", 1),
        ("run_2", "orders", "orders/day2.csv", 1),
    ]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id from raw.customers").fetchall() == [("C2",)]
    data = (home / "warehouse.duckdb").read_bytes()
    assert EMAIL.upper().encode() not in data and b" C1 " not in data  # rewritten: no free block keeps them

    # a file reloaded (new ledger row) is searched again, for every form
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        load(con, "orders/day1.csv", "2026-07-03 01:00:00")
        redeliver(con, "customers/day3.csv", "2026-07-03 01:00:00")
    forget_erased(Settings(home=home), "run_3")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select note from raw.orders where order_id = 'O3'").fetchall() == [(None,)]


def test_a_rewrite_that_failed_is_made_by_the_next_run(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: Path, memory_limit: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(forget, "rewrite", broken)
    with pytest.raises(OSError, match="disk full"):
        forget_erased(Settings(home=home), "run_1")
    assert b"Anna.Smith" in (home / "warehouse.duckdb").read_bytes()  # deleted, still in free blocks
    monkeypatch.undo()
    # the retry finds nobody left to erase (the sweep was committed) but owes the rewrite
    assert forget_erased(Settings(home=home), "run_1").lines() == ["forget: nobody to erase"]
    data = (home / "warehouse.duckdb").read_bytes()
    assert b"Anna.Smith" not in data and b"Smith" not in data
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw._forget_pending").fetchall() == [(0,)]


def test_a_purge_window_lets_the_rewrite_wait_until_its_day(home: Path) -> None:
    """RAPPORT_FORGET_PURGE_DAYS=3: the rows go at once, the file's rewrite waits for the run
    whose as-of date is 3 days after the first run that owed it, even if that run erases nobody."""
    window = Settings(home=home, forget_purge_days=3)
    done = forget_erased(window, "run_1", date(2026, 7, 1))
    assert done.rewrite_seconds is None and done.purge_by == date(2026, 7, 4)
    assert "warehouse rewrite waits until 2026-07-04 (RAPPORT_FORGET_PURGE_DAYS)" in done.lines()[0]
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select customer_id from raw.customers").fetchall() == [("C2",)]  # gone now
    assert b"Smith" in (home / "warehouse.duckdb").read_bytes()  # in a free block, for 3 days at most
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("delete from intermediate.int_customers_erased")  # dbt's next runs: nobody new
    later = forget_erased(window, "run_2", date(2026, 7, 3))
    assert later.lines() == [
        "forget: nobody to erase; an earlier run's warehouse rewrite waits until 2026-07-04"
        " (RAPPORT_FORGET_PURGE_DAYS)"
    ]
    assert b"Smith" in (home / "warehouse.duckdb").read_bytes()
    due = forget_erased(window, "run_3", date(2026, 7, 4))
    assert due.lines() == ["forget: nobody to erase"] and due.rewrite_seconds is not None
    assert b"Smith" not in (home / "warehouse.duckdb").read_bytes()
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw._forget_pending").fetchall() == [(0,)]


def test_without_a_window_or_an_as_of_date_the_rewrite_is_made_at_once(home: Path) -> None:
    assert forget_erased(Settings(home=home, forget_purge_days=3), "run_1").rewrite_seconds is not None
    assert b"Smith" not in (home / "warehouse.duckdb").read_bytes()


def test_a_rewrite_owed_before_the_window_existed_is_due_at_once(home: Path) -> None:
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "create table raw._forget_pending (run_id varchar);"
            " insert into raw._forget_pending values ('old')"
        )
        con.execute("delete from intermediate.int_customers_erased")
    done = forget_erased(Settings(home=home, forget_purge_days=30), "run_1", date(2026, 7, 1))
    assert done.rewrite_seconds is not None
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from raw._forget_pending").fetchall() == [(0,)]
