"""forget_erased's DuckDB connections (the sweep and the file rewrite) run under the forget cap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from pydantic import ValidationError

import pipelines.forget.forget as forget_module
import pipelines.forget.rewrite as rewrite_module
from pipelines.settings import Settings


@pytest.mark.parametrize(
    ("general", "forget", "expected"), [("8GB", "2GB", "2GB"), ("1.5GB", "2GB", "1.5GB")]
)
def test_the_smaller_cap_applies(general: str, forget: str, expected: str) -> None:
    settings = Settings(duckdb_memory_limit=general, duckdb_forget_memory_limit=forget)
    assert settings.forget_memory_limit == expected


def test_a_forget_cap_that_is_not_a_size_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(duckdb_forget_memory_limit="1GB'; drop table raw.orders; --")


class _Spy:
    """A DuckDB connection that notes its memory cap when the rewrite copies the database."""

    def __init__(self, seen: list[Any]) -> None:
        self.con, self.seen = duckdb.connect(":memory:"), seen

    def execute(self, sql: str, *args: Any) -> Any:
        if sql.startswith("copy from database"):
            self.seen.append(
                ("rewrite", self.con.execute("select current_setting('memory_limit')").fetchall()[0][0])
            )
        return self.con.execute(sql, *args)

    def close(self) -> None:
        self.con.close()


def test_the_sweep_and_the_rewrite_run_under_the_forget_cap(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Any] = []
    sweep = forget_module.forget_in_warehouse

    def spy(con: duckdb.DuckDBPyConnection, *args: Any) -> int:
        seen.append(("sweep", con.execute("select current_setting('memory_limit')").fetchall()[0][0]))
        return sweep(con, *args)

    monkeypatch.setattr(forget_module, "forget_in_warehouse", spy)
    real = duckdb.connect
    # the rewrite's in-memory connection is the one opened without a file
    monkeypatch.setattr(rewrite_module.duckdb, "connect", lambda *a, **k: real(*a, **k) if a else _Spy(seen))
    done = forget_module.forget_erased(Settings(home=home, duckdb_forget_memory_limit="1GB"), "run_1")
    assert done.rewrite_seconds is not None
    assert seen == [("sweep", "953.6 MiB"), ("rewrite", "953.6 MiB")]  # 1 GB (10^9 bytes) in MiB
    assert not (home / "warehouse.duckdb.tmp").exists() or not any((home / "warehouse.duckdb.tmp").iterdir())
