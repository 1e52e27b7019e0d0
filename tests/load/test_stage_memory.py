"""Staging runs under its own DuckDB memory cap (the smaller of the two settings)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import pipelines.load.entity as entity_module
import pipelines.load.stage as stage_module
from pipelines.load import stage_landing
from pipelines.settings import Settings, get_settings
from tests.load.support import AS_OF, CUSTOMERS, ORDERS_HEADER, Site, write


@pytest.mark.parametrize(
    ("general", "stage", "expected"),
    [("8GB", "3GB", "3GB"), ("2GB", "3GB", "2GB"), ("2.5 GiB", "3000MB", "2.5 GiB"), ("4GB", "4GiB", "4GB")],
)
def test_the_smaller_cap_applies(general: str, stage: str, expected: str) -> None:
    settings = Settings(duckdb_memory_limit=general, duckdb_stage_memory_limit=stage)
    assert settings.stage_memory_limit == expected


def test_a_stage_cap_that_is_not_a_size_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(duckdb_stage_memory_limit="1GB'; drop table raw.orders; --")


def test_staging_connection_uses_the_stage_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []
    checked = stage_module.check_collapse

    def spy(con: Any, rows_in: dict[str, int]) -> None:
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        checked(con, rows_in)

    monkeypatch.setattr(stage_module, "check_collapse", spy)
    monkeypatch.setenv("RAPPORT_DUCKDB_STAGE_MEMORY_LIMIT", "1GB")
    get_settings.cache_clear()
    try:
        site.write("customers/c.csv", CUSTOMERS)
        site.stage()
    finally:
        get_settings.cache_clear()
    assert seen == ["953.6 MiB"]  # 1 GB (10^9 bytes) in MiB


def test_a_chunks_scratch_tables_are_not_held_by_the_next_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a table dropped in a transaction is kept until the transaction ends: when the whole batch
    # was one transaction, every chunk's untyped text and `_checked` stayed (at 10M customers 17 GB
    # spilled, then the cap was full); each chunk now drops them and ends its transaction
    held: list[int] = []
    tally = entity_module.tally_value_loss

    def spy(con: Any, entity: str) -> None:  # at the end of each chunk, its scratch still there
        tally(con, entity)
        tag = "tag = 'IN_MEMORY_TABLE'"  # temp tables, in memory or spilled
        held.append(
            con.execute(
                f"select sum(memory_usage_bytes + temporary_storage_bytes) from duckdb_memory() where {tag}"
            ).fetchall()[0][0]
        )

    monkeypatch.setattr(entity_module, "tally_value_loss", spy)
    rows = "".join(f"o{i},c{i % 50},2024-02-01 10:00:00,{i % 97}.50,paid\n" for i in range(15_000))
    for n in range(8):  # the same rows in every file: orders may be restated across files
        write(tmp_path / "landing", f"orders/orders_{n}.csv", ORDERS_HEADER + rows)
    stage_landing(tmp_path / "landing", tmp_path / "w.duckdb", AS_OF, "r1", chunk_bytes=1)  # file per chunk
    assert len(held) == 8
    # what stays per chunk: the staged rows until DuckDB's next checkpoint (one transaction kept
    # the chunk's scratch too: 7.8 of the first chunk's 8.2 MB); the first chunk holds its scratch
    assert (held[-1] - held[0]) / 7 < held[0] / 4


def test_the_commit_connection_uses_the_commit_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    # commit_load's one transaction kept every inserted block under the general cap (8 GiB at 10M)
    from pipelines.load import commit as commit_module

    site.write("customers/c.csv", CUSTOMERS)
    site.stage()
    seen: list[Any] = []
    ensure = commit_module.ensure_raw_tables

    def spy(con: Any) -> None:
        seen.append(con.execute("select current_setting('memory_limit')").fetchall()[0][0])
        ensure(con)

    monkeypatch.setattr(commit_module, "ensure_raw_tables", spy)
    monkeypatch.setenv("RAPPORT_DUCKDB_COMMIT_MEMORY_LIMIT", "1GB")
    get_settings.cache_clear()
    try:
        commit_module.commit_staged(site.warehouse, "r1")
    finally:
        get_settings.cache_clear()
    assert seen == ["953.6 MiB"]  # 1 GB (10^9 bytes) in MiB
