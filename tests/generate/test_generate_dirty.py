"""Injected defects are real, and defects.csv points at exactly the lines that carry them
(in a shop made whole and in one made in shards)."""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contract import ENTITIES
from tests.generate.conftest import Shop, read_sql

KINDS = {
    "malformed_row", "wrong_type", "negative_value", "duplicate_key",
    "orphan_customer", "future_date", "bad_encoding",
}  # fmt: skip
UNREADABLE = ("malformed_row", "wrong_type", "bad_encoding")


def defects(shop: Shop) -> pl.DataFrame:
    return pl.read_csv(shop.out / "_truth" / "defects.csv", infer_schema=False).with_columns(
        pl.col("source_line").cast(pl.Int64), pl.col("column_name").fill_null("")
    )


@cache
def physical_lines(path: Path) -> list[bytes]:
    return path.read_bytes().split(b"\n")


def fields(path: Path, line: int) -> list[str]:
    return next(csv.reader([physical_lines(path)[line - 1].decode()]))


def test_defects_are_listed_with_known_kinds_at_about_the_rate(dirty: Shop) -> None:
    found = defects(dirty)
    assert set(found["kind"]) == KINDS
    assert set(found["entity"]) == {"orders", "order_lines", "customers"}
    rows = sum(dirty.summary.rows[e] for e in ("orders", "order_lines", "customers"))
    assert 0.03 * rows < found.height < 0.05 * rows
    assert found.height == dirty.summary.defects
    assert found.select(pl.struct("source_file", "source_line").is_unique().all()).item()
    for row in found.iter_rows(named=True):
        path = dirty.out / row["source_file"]
        assert row["source_file"].startswith(f"{row['entity']}/date=")
        assert 2 <= row["source_line"] < len(physical_lines(path))


def test_exactly_the_listed_lines_fail_to_parse_or_cast(dirty: Shop) -> None:
    found = defects(dirty).filter(pl.col("kind").is_in(UNREADABLE))
    for name in ("orders", "order_lines", "customers"):
        con = duckdb.connect()
        sql = read_sql(dirty.out, name, ignore_errors="true", store_rejects="true")
        con.execute(sql).fetchall()
        rejected = con.execute(
            "select s.file_path, e.line from reject_errors e join reject_scans s using (scan_id, file_id)"
        ).fetchall()
        got = {(Path(f).relative_to(dirty.out).as_posix(), line) for f, line in rejected}
        listed = found.filter(pl.col("entity") == name)
        assert got == set(zip(listed["source_file"], listed["source_line"], strict=True)), name


def test_each_defect_is_what_it_claims(dirty: Shop) -> None:
    customer_ids = {
        r[0]
        for r in duckdb.sql(
            read_sql(dirty.out, "customers", ignore_errors="true").replace("*", "customer_id", 1)
        ).fetchall()
    }
    seen: Counter[str] = Counter()
    for row in defects(dirty).iter_rows(named=True):
        path, line, kind = dirty.out / row["source_file"], row["source_line"], row["kind"]
        columns = ENTITIES[row["entity"]].column_names
        seen[kind] += 1
        if kind == "bad_encoding":
            try:
                physical_lines(path)[line - 1].decode("utf-8")
            except UnicodeDecodeError:
                continue
            raise AssertionError(f"{path}:{line} is valid UTF-8")
        values = fields(path, line)
        if kind == "malformed_row":
            stray_quote = re.search(r'"[^",]*"[^",\n]', physical_lines(path)[line - 1].decode())
            assert len(values) != len(columns) or stray_quote
            continue
        assert len(values) == len(columns)
        value = values[columns.index(row["column_name"])]
        key = values[columns.index(ENTITIES[row["entity"]].key[0])]
        if kind == "wrong_type":
            sql_type = ENTITIES[row["entity"]].type_of(row["column_name"])
            assert duckdb.execute(f"select try_cast(? as {sql_type})", [value]).fetchall() == [(None,)]
        elif kind == "negative_value":
            assert float(value) < 0
        elif kind == "future_date":
            assert value.startswith("2099-")
        elif kind == "orphan_customer":
            assert value not in customer_ids
        elif kind == "duplicate_key":
            keys = [
                fields(path, i)[columns.index(row["column_name"])]
                for i in range(2, len(physical_lines(path)))
            ]
            assert keys.count(key) >= 2
    assert set(seen) == KINDS
