"""Phase 2: committing a staged batch into schema `raw`, idempotently."""

from __future__ import annotations

import multiprocessing
import os
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import pipelines.load.entity as entity_module
from pipelines.contract import ENTITIES
from pipelines.load import commit_staged, quarantine_summary, stage_landing
from pipelines.load.commit import NothingStaged
from tests.load.support import AS_OF, CUSTOMERS, ORDERS_HEADER, Site, has_schema

DAY1 = "orders/date=2024-02-01/o.csv"
DAY1_ROWS = "o1,c1,2024-02-01,10,placed\no2,c2,2024-02-01,x,placed\no3,c1,2024-02-01,5,placed\n"


def _raw_counts(site: Site) -> tuple[int, int, int]:
    (counts,) = site.query(
        "select (select count(*) from raw.orders), (select count(*) from raw._quarantine),"
        " (select count(*) from raw._load_ledger)"
    )
    return counts


def test_an_empty_landing_still_creates_every_raw_table(site: Site) -> None:
    staged, loaded = site.load()
    assert (staged.files, loaded.files, loaded.lines()) == (
        0,
        0,
        ["run r1: nothing staged, raw tables ensured"],
    )
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, type_ in site.query(
        "select table_name, column_name, data_type from information_schema.columns"
        " where table_schema = 'raw' order by table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append((column, type_))
    for name, entity in ENTITIES.items():
        expected = [(c.name, c.type.upper()) for c in entity.columns]
        assert columns[name] == [*expected, ("_source_file", "VARCHAR"), ("_source_line", "BIGINT")]
    assert site.query("select count(*) from raw._quarantine") == [(0,)]
    assert site.query("select count(*) from raw._load_ledger") == [(0,)]
    assert not has_schema(site.warehouse, "incoming")


def test_commit_moves_rows_quarantine_and_ledger(site: Site) -> None:
    site.write("customers.csv", CUSTOMERS)
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    _, loaded = site.load("r1")
    assert (loaded.rows_in, loaded.rows_loaded, loaded.rows_quarantined) == (5, 4, 1)
    assert loaded.counts("orders").rows_loaded == 2
    assert site.query("select order_id, _source_file, _source_line from raw.orders order by 1") == [
        ("o1", DAY1, 2),
        ("o3", DAY1, 4),
    ]
    assert site.query("select * from raw._quarantine") == [
        ("orders", DAY1, 3, "amount", "x", "wrong type", "r1")
    ]
    assert site.query(
        "select source_file, entity, rows_in, rows_loaded, rows_quarantined, run_id"
        " from raw._load_ledger order by 1"
    ) == [("customers.csv", "customers", 2, 2, 0, "r1"), (DAY1, "orders", 3, 2, 1, "r1")]
    assert not has_schema(site.warehouse, "incoming")


def test_a_rerun_on_unchanged_files_loads_nothing_twice(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    site.load("r1")
    before = _raw_counts(site)
    staged, loaded = site.load("r2")
    assert (staged.files, staged.skipped, loaded.files) == (0, (DAY1,), 0)
    assert _raw_counts(site) == before
    assert site.query("select distinct run_id from raw._load_ledger") == [("r1",)]


def test_a_changed_file_replaces_its_earlier_rows(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    site.write("orders/date=2024-02-02/o.csv", ORDERS_HEADER + "o9,c1,2024-02-02,1,placed\n")
    site.load("r1")
    site.write(DAY1, ORDERS_HEADER + "o1,c1,2024-02-01,10,shipped\no4,c1,2024-02-01,-2,placed\n")
    staged, loaded = site.load("r2")
    assert (staged.files, loaded.rows_in, loaded.rows_loaded, loaded.rows_quarantined) == (1, 2, 1, 1)
    assert site.query("select order_id, status, _source_line from raw.orders order by 1") == [
        ("o1", "shipped", 2),
        ("o9", "placed", 2),
    ]
    assert site.query("select source_line, reason, run_id from raw._quarantine") == [
        (3, "negative value", "r2")
    ]
    assert site.query(
        "select source_file, rows_in, rows_loaded, rows_quarantined, run_id from raw._load_ledger order by 1"
    ) == [(DAY1, 2, 1, 1, "r2"), ("orders/date=2024-02-02/o.csv", 1, 1, 0, "r1")]


def test_a_file_cut_down_to_its_header_removes_its_earlier_rows(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    site.load("r1")
    site.write(DAY1, ORDERS_HEADER)
    staged, _ = site.load("r2")
    assert (staged.files, staged.rows_in) == (1, 0)
    assert _raw_counts(site) == (0, 0, 1)


def test_a_rejected_batch_leaves_nothing_to_commit(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    site.stage("r1")
    site.write("orders/bad.csv", "order_id\no1\n")
    with pytest.raises(Exception, match="missing required columns"):
        site.stage("r1")
    with pytest.raises(NothingStaged, match="nothing staged by run r1"):
        commit_staged(site.warehouse, "r1")  # a retry of the commit cannot turn this green
    assert _raw_counts(site) == (0, 0, 0)


def test_committing_another_runs_batch_is_refused(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    site.stage("r1")
    with pytest.raises(ValueError, match="staged by run"):
        commit_staged(site.warehouse, "r2")
    assert has_schema(site.warehouse, "incoming")  # the batch is still there for its own run
    assert commit_staged(site.warehouse, "r1").files == 1


def test_quarantine_summary_counts_rows_per_entity_and_reason(site: Site) -> None:
    site.write("customers.csv", CUSTOMERS)
    site.write(
        DAY1,
        ORDERS_HEADER + "o1,c1,2024-02-01,x,placed\no2,c1,bad,y,placed\no3,c7,2024-02-01,1,placed\n",
    )
    site.load()
    expected = pl.DataFrame(
        {
            "entity": ["orders", "orders"],
            "reason": ["orphan customer_id", "wrong type"],
            "rows": [1, 2],  # o2 has two wrong values but is one row
            "example": [f"customer_id = 'c7' ({DAY1}:4)", f"amount = 'x' ({DAY1}:2)"],
        },
        schema={"entity": pl.String, "reason": pl.String, "rows": pl.Int64, "example": pl.String},
    )
    assert_frame_equal(quarantine_summary(site.warehouse), expected)


def test_quarantine_summary_before_any_commit_is_empty(site: Site) -> None:
    site.stage()
    summary = quarantine_summary(site.warehouse)
    assert summary.is_empty()
    assert summary.columns == ["entity", "reason", "rows", "example"]


def test_load_report_lines(site: Site) -> None:
    site.write(DAY1, ORDERS_HEADER + DAY1_ROWS)
    _, loaded = site.load("r7")
    assert loaded.lines() == [
        "committed 1 file(s) for run r7: 3 rows in, 2 loaded, 1 quarantined",
        "  orders: 1 file(s), 3 rows in, 2 loaded, 1 quarantined",
    ]


def _stage_killed_at_the_second_orders_chunk(landing: Path, warehouse: Path) -> None:
    tally, tallied = entity_module.tally_value_loss, []

    def killed(con: Any, entity: str) -> None:
        tally(con, entity)
        tallied.append(entity)
        if tallied.count("orders") == 2:  # the first orders chunk is committed by now
            os._exit(9)

    entity_module.tally_value_loss = killed  # in the child process only
    stage_landing(landing, warehouse, AS_OF, "r1", chunk_bytes=1)  # one file per chunk


def test_a_stage_killed_between_chunks_leaves_nothing_to_commit(site: Site) -> None:
    # each chunk commits (entity.py: the scratch a transaction keeps); only the last transaction
    # makes the batch whole (`_files`, `_batch`), so what a kill leaves cannot be committed and
    # does not block another run; the next stage replaces it
    site.write("customers/c.csv", CUSTOMERS)
    for day in ("01", "02", "03"):
        site.write(f"orders/date=2024-02-{day}/o.csv", ORDERS_HEADER + DAY1_ROWS.replace("o", f"o{day}-"))
    child = multiprocessing.get_context("fork").Process(
        target=_stage_killed_at_the_second_orders_chunk, args=(site.landing, site.warehouse)
    )
    child.start()
    child.join()
    assert child.exitcode == 9
    assert site.query("select count(*) from incoming.orders") == [(2,)]  # the first chunk's rows
    with pytest.raises(NothingStaged, match="nothing staged by run r1"):
        commit_staged(site.warehouse, "r1")
    staged, _ = site.load("r2", date(2024, 3, 2))  # no RunOverlap: the killed run left no batch
    assert (staged.files, staged.rows_in) == (4, 11)
    assert _raw_counts(site) == (6, 3, 4)
