"""The files land where and how the landing contract says."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.contract import ENTITIES, MONEY
from pipelines.generate import generate_shop
from tests.generate.conftest import Shop, read_sql

SINGLE_FILE = {"products", "marketing_spend"}
PATTERNS = {
    "timestamp": r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d",
    "date": r"\d{4}-\d\d-\d\d",
    MONEY: r"\d+\.\d\d",
    "boolean": r"true|false",
    "integer": r"-?\d+",
}


def test_every_entity_is_written_as_daily_partitions(clean_shop: Shop) -> None:
    for name in ENTITIES:
        files = sorted((clean_shop.out / name).rglob("*.csv"))
        assert files, name
        for f in files:
            rel = f.relative_to(clean_shop.out).as_posix()
            if name in SINGLE_FILE:
                assert rel == f"{name}/{name}.csv"
            else:
                assert re.fullmatch(rf"{name}/date=\d{{4}}-\d\d-\d\d/{name}\.csv", rel), rel
    written = {p.relative_to(clean_shop.out).parts[0] for p in clean_shop.summary.paths}
    assert written == set(ENTITIES)


def test_headers_are_exactly_the_contract_columns(clean_shop: Shop) -> None:
    for path in clean_shop.summary.paths:
        entity = ENTITIES[path.relative_to(clean_shop.out).parts[0]]
        header = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert header == ",".join(entity.column_names)


def test_every_file_casts_to_the_contract_types_without_rejects(clean_shop: Shop) -> None:
    for name in ENTITIES:
        con = duckdb.connect()
        sql = read_sql(clean_shop.out, name, ignore_errors="true", store_rejects="true")
        loaded = con.execute(sql).fetchall()  # every column parsed, unlike count(*)
        rejects = con.execute("select count(*) from reject_errors").fetchall()[0]
        assert rejects == (0,), name
        assert len(loaded) == clean_shop.summary.rows[name], name


def test_values_use_the_exact_text_formats(clean_shop: Shop) -> None:
    for name, entity in ENTITIES.items():
        text = pl.read_csv(clean_shop.out / name / "**" / "*.csv", infer_schema=False, glob=True)
        for column in entity.columns:
            if column.type in PATTERNS:
                values = text[column.name].drop_nulls()
                bad = values.filter(~values.str.contains(f"^(?:{PATTERNS[column.type]})$"))
                assert bad.is_empty(), (name, column.name, bad.head(3).to_list())


def test_partition_date_is_the_date_of_the_row(clean_shop: Shop) -> None:
    con = clean_shop.db
    for name, column in [("orders", "ordered_at"), ("customers", "updated_at")]:
        sql = f"""select count(*) from read_csv('{clean_shop.out}/{name}/**/*.csv',
                  hive_partitioning=true, hive_types={{'date': 'date'}})
                  where cast({column} as date) <> date"""
        assert con.execute(sql).fetchall()[0] == (0,)
    lines = f"""select count(*) from read_csv('{clean_shop.out}/order_lines/**/*.csv',
                hive_partitioning=true, hive_types={{'date': 'date'}}) l
                join orders o using (order_id) where cast(o.ordered_at as date) <> l.date"""
    assert con.execute(lines).fetchall()[0] == (0,)


def test_parquet_files_carry_the_contract_types(parquet_shop: Shop) -> None:
    con = duckdb.connect()
    for name, entity in ENTITIES.items():
        described = con.execute(f"describe {read_sql(parquet_shop.out, name, 'parquet')}")
        types = {row[0]: row[1].lower() for row in described.fetchall()}
        assert types == {c.name: c.type for c in entity.columns}, name
        count = con.execute(f"select count(*) from ({read_sql(parquet_shop.out, name, 'parquet')})")
        assert count.fetchall()[0] == (parquet_shop.summary.rows[name],)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dirty_rate": 0.1, "fmt": "parquet"}, "CSV"),
        ({"dirty_rate": -0.1}, "dirty_rate"),
        ({"fmt": "json"}, "fmt"),
        ({"shard_size": 39}, "shard_size"),
    ],
)
def test_invalid_arguments_are_refused(tmp_path: Path, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        generate_shop(tmp_path, 100, **kwargs)
    assert not any(tmp_path.iterdir())
