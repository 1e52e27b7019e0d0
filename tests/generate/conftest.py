"""Shops shared by the generator tests (generated once per session, they are read-only)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.contract import ENTITIES
from pipelines.generate import GenerateSummary, generate_shop


@dataclass(frozen=True)
class Shop:
    out: Path
    summary: GenerateSummary

    @property
    def truth(self) -> dict[str, Any]:
        return json.loads((self.out / "_truth" / "summary.json").read_text())

    @cached_property
    def db(self) -> duckdb.DuckDBPyConnection:
        """One table per entity, typed by the contract (a cast failure raises), loaded once."""
        con = duckdb.connect()
        for name in ENTITIES:
            con.execute(f"create table {name} as {read_sql(self.out, name)}")
        return con

    def one(self, sql: str) -> Any:
        rows = self.db.execute(sql).fetchall()  # fetchone() would leave the result open
        assert len(rows) == 1
        return rows[0][0]


def read_sql(out: Path, name: str, suffix: str = "csv", **options: str) -> str:
    if suffix == "parquet":
        return f"select * from read_parquet('{out}/{name}/**/*.parquet', hive_partitioning=false)"
    columns = ", ".join(f"'{c.name}': '{c.type}'" for c in ENTITIES[name].columns)
    extra = "".join(f", {k}={v}" for k, v in options.items())
    return (
        f"select * from read_csv('{out}/{name}/**/*.csv', header=true, auto_detect=false, "
        f"delim=',', quote='\"', escape='\"', columns={{{columns}}}{extra})"
    )


@pytest.fixture(scope="session")
def clean_shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    out = tmp_path_factory.mktemp("clean")
    return Shop(out, generate_shop(out, 3000, seed=7))


@pytest.fixture(scope="session")
def dirty_shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    out = tmp_path_factory.mktemp("dirty")
    return Shop(out, generate_shop(out, 1500, seed=11, dirty_rate=0.04))


@pytest.fixture(scope="session")
def parquet_shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    out = tmp_path_factory.mktemp("parquet")
    return Shop(out, generate_shop(out, 400, seed=5, fmt="parquet"))


@pytest.fixture(scope="session")
def sharded_shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    """clean_shop's kind of shop made in three shards (each day's rows in three part files)."""
    out = tmp_path_factory.mktemp("sharded")
    return Shop(out, generate_shop(out, 3000, seed=7, shard_size=1000))


@pytest.fixture(scope="session")
def sharded_dirty_shop(tmp_path_factory: pytest.TempPathFactory) -> Shop:
    out = tmp_path_factory.mktemp("sharded-dirty")
    return Shop(out, generate_shop(out, 1500, seed=11, dirty_rate=0.04, shard_size=500))


@pytest.fixture(params=["clean_shop", "sharded_shop"])
def shop(request: pytest.FixtureRequest) -> Shop:
    """A clean shop made whole, then the same kind of shop made in shards."""
    found: Shop = request.getfixturevalue(request.param)
    return found


@pytest.fixture(params=["dirty_shop", "sharded_dirty_shop"])
def dirty(request: pytest.FixtureRequest) -> Shop:
    """A dirty shop made whole, then one made in shards."""
    found: Shop = request.getfixturevalue(request.param)
    return found
