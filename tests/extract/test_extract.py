"""Incremental extraction from a real PostgreSQL server into the landing contract."""

from __future__ import annotations

import socket
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

from pipelines.extract import ExtractError, SourceUnavailable, extract_shop
from pipelines.extract.source import connect
from pipelines.extract.tables import TABLES, create_table_sql
from pipelines.generate.shop_db import seed_shop_db
from pipelines.load import commit_staged, stage_landing

DAY = timedelta(hours=48)


def _sql(url: str, *statements: str) -> list[Any]:
    con = connect(url)
    cur = con.cursor()
    rows: list[Any] = []
    for statement in statements:
        cur.execute(statement)
        if cur.description:
            rows = cur.fetchall()
    con.commit()
    con.close()
    return rows


def _landed(landing: Path, entity: str, run: str) -> pl.DataFrame:
    path = landing / entity / f"extract={run}" / "part.parquet"
    return pl.read_parquet(path) if path.exists() else pl.DataFrame()


@pytest.fixture(scope="module")
def seeded(pg_url: str) -> str:
    seed_shop_db(pg_url, "seeded", customers=150, seed=5)
    return pg_url


def test_first_extract_lands_every_table_and_the_loader_takes_it_whole(seeded: str, tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    as_of = date(2026, 7, 1)  # the day after the generated shop's last order
    report = extract_shop(seeded, "seeded", landing, as_of, "r1", lookback=DAY)
    counts = {t.entity: _sql(seeded, f"select count(*) from seeded.{t.entity}")[0][0] for t in TABLES}
    assert report.rows == counts and all(counts.values())
    warehouse = tmp_path / "warehouse.duckdb"
    staged = stage_landing(landing, warehouse, as_of, "r1")
    assert {e.entity: (e.rows_in, e.rows_quarantined) for e in staged.entities} == {
        e: (n, 0) for e, n in counts.items()
    }
    commit_staged(warehouse, "r1")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        got = con.execute("select sum(amount), count(distinct order_id) from raw.orders").fetchone()
    assert (str(got[0]), got[1]) == tuple(
        _sql(seeded, "select sum(amount)::text, count(*) from seeded.orders")[0]
    )


def test_a_retry_of_the_same_run_rewrites_its_file_and_a_new_run_reads_from_the_watermark(
    seeded: str, tmp_path: Path
) -> None:
    landing = tmp_path / "landing"
    first = extract_shop(seeded, "seeded", landing, date(2026, 6, 1), "r1", lookback=DAY)
    before = _landed(landing, "orders", "r1")
    again = extract_shop(seeded, "seeded", landing, date(2026, 6, 1), "r1", lookback=DAY)
    assert again.rows == first.rows and _landed(landing, "orders", "r1").equals(before)
    second = extract_shop(seeded, "seeded", landing, date(2026, 7, 1), "r2", lookback=DAY)
    orders = _landed(landing, "orders", "r2")
    assert 0 < orders.height < before.height, "only the last month and the lookback"
    total = _sql(seeded, "select count(*) from seeded.orders")[0][0]
    both = pl.concat([before, orders])["order_id"]
    assert both.n_unique() == total, "no order lost between windows"
    assert first.windows["orders"][0] is None and second.windows["orders"][0] is not None


@pytest.fixture
def tiny(pg_url: str, request: pytest.FixtureRequest) -> str:
    """A hand-made shop: one customer, one product, one order with a line, no returns."""
    schema = "t_" + request.node.name[-20:].lower().replace("[", "_").replace("]", "_")
    _sql(pg_url, f"drop schema if exists {schema} cascade", f"create schema {schema}")
    _sql(pg_url, *(create_table_sql(schema, t.entity) for t in TABLES))
    _sql(
        pg_url,
        f"insert into {schema}.customers (customer_id, email, signed_up_at, updated_at)"
        " values ('c1', 'a@x.org', '2026-01-01 10:00', '2026-01-01 10:00')",
        f"insert into {schema}.products (product_id, price, updated_at) values ('p1', 10, '2026-01-01')",
        f"insert into {schema}.orders (order_id, customer_id, ordered_at, amount, status, updated_at)"
        " values ('o1', 'c1', '2026-01-02 09:00', 20.00, 'placed', '2026-01-02 09:00')",
        f"insert into {schema}.order_lines (order_line_id, order_id, product_id, quantity, unit_price,"
        " updated_at) values ('l1', 'o1', 'p1', 2, 10.00, null)",
    )
    return f"{pg_url}?options=-csearch_path%3D{schema}#{schema}"


def _split(tiny: str) -> tuple[str, str]:
    url, schema = tiny.split("#")
    return url, schema


def test_updates_replace_rows_and_orders_wait_for_their_customer(tiny: str, tmp_path: Path) -> None:
    url, schema = _split(tiny)
    landing = tmp_path / "landing"
    extract_shop(url, schema, landing, date(2026, 1, 10), "r1", lookback=timedelta(0))
    _sql(
        url,
        f"update {schema}.orders set status = 'returned', updated_at = '2026-01-12 08:00'",
        f"insert into {schema}.returns values ('x1', 'o1', 'l1', '2026-01-12 08:00', 1, 10.00, 'size',"
        " '2026-01-12 08:00')",
        # the customer changed email after the second run's as-of date: the new order waits
        f"update {schema}.customers set email = 'b@x.org', updated_at = '2026-01-20 00:00'",
        f"insert into {schema}.orders (order_id, customer_id, ordered_at, amount, updated_at)"
        " values ('o2', 'c1', '2026-01-13 09:00', 5.00, '2026-01-13 09:00')",
    )
    second = extract_shop(url, schema, landing, date(2026, 1, 15), "r2", lookback=timedelta(0))
    assert _landed(landing, "orders", "r2").is_empty(), "o1 and o2 wait for c1's new version"
    assert _landed(landing, "returns", "r2")["return_id"].to_list() == ["x1"]
    assert second.null_versions["order_lines"] == 1, "a line without updated_at lands every run"
    extract_shop(url, schema, landing, date(2026, 1, 21), "r3", lookback=timedelta(0))
    orders = _landed(landing, "orders", "r3").sort("order_id")
    assert orders["order_id"].to_list() == ["o1", "o2"]
    assert orders["status"].to_list() == ["returned", None]
    assert _landed(landing, "customers", "r3")["email"].to_list() == ["b@x.org"]


def test_a_missing_table_and_a_changed_type_are_named(tiny: str, tmp_path: Path) -> None:
    url, schema = _split(tiny)
    _sql(url, f"drop table {schema}.returns", f"alter table {schema}.orders alter column amount type text")
    with pytest.raises(ExtractError) as error:
        extract_shop(url, schema, tmp_path, date(2026, 2, 1), "r1", lookback=DAY)
    assert f"table {schema}.returns is missing" in str(error.value)
    assert f"column {schema}.orders.amount has type text" in str(error.value)
    assert not (tmp_path / "orders").exists(), "nothing lands from a source that does not fit"


def test_a_database_that_is_down_is_retried_then_reported_without_its_password(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    url = f"postgresql://shop:s3cret@127.0.0.1:{port}/shop"
    with pytest.raises(SourceUnavailable) as error:
        extract_shop(
            url, "public", tmp_path, date(2026, 2, 1), "r1", lookback=DAY, attempts=2, wait_seconds=0
        )
    assert "after 2 attempts" in str(error.value) and f"127.0.0.1:{port}" in str(error.value)
    assert "s3cret" not in str(error.value)
