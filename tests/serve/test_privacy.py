"""The serving copy: contact columns plain, hashed or dropped; erased people never in it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.serve import publish
from pipelines.settings import get_settings
from tests.serve.factories import build_warehouse

AS_OF = date(2025, 7, 1)


@pytest.fixture
def warehouse(tmp_path: Path) -> Iterator[Path]:
    path = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(path)) as con:
        con.execute(
            "alter table marts.customers add column if not exists email varchar;"
            " alter table marts.customers add column if not exists first_name varchar;"
            " alter table marts.customers drop column source_customer_ids;"
            " alter table marts.customers add column source_customer_ids varchar;"
            " alter table marts.customers add column if not exists phone_e164 varchar;"
            " update marts.customers set email = customer_id || '@example.com',"
            " first_name = 'Ana ' || customer_id, source_customer_ids = 'src-' || customer_id;"
            " create table raw.erasures"
            " (email varchar, customer_id varchar, phone varchar, requested_at varchar);"
            " insert into raw.erasures values ('  C00003@EXAMPLE.COM ', null, null, 'yesterday'),"
            " (null, 'src-c00005', null, null);"
            # an erased person's order kept as anonymous revenue (the facts null the id)
            " insert into marts.orders values ('anon-1', null)"
        )
    yield path
    get_settings.cache_clear()


def _published(root: Path) -> dict[str, pl.DataFrame]:
    parquet = root / "current" / "parquet"
    return {f"{p.parent.name}.{p.stem}": pl.read_parquet(p) for p in parquet.rglob("*.parquet")}


@pytest.mark.parametrize("mode", ["plain", "hashed", "dropped"])
def test_contact_columns_follow_the_setting_and_the_erased_are_gone(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    monkeypatch.setenv("RAPPORT_SERVING_PII", mode)
    get_settings.cache_clear()
    root = tmp_path / "serving"
    publish(warehouse, root, AS_OF, "run_1")
    tables = _published(root)
    customers = tables["marts.customers"]
    for name, frame in tables.items():
        if "customer_id" in frame.columns:
            assert not {"c00003", "c00005"} & set(frame["customer_id"]), name
    with duckdb.connect(str(root / "current" / "rapport.duckdb"), read_only=True) as con:
        ids = {c for (c,) in con.execute("select customer_id from marts.customers").fetchall()}
    assert not {"c00003", "c00005"} & ids and "c00004" in ids
    assert "anon-1" in set(tables["marts.orders"]["order_id"])  # anonymous revenue stays published
    row = customers.filter(pl.col("customer_id") == "c00004").row(0, named=True)
    if mode == "plain":
        assert (row["email"], row["first_name"]) == ("c00004@example.com", "Ana c00004")
    elif mode == "hashed":
        assert row["email"] == hashlib.sha256(b"c00004@example.com").hexdigest()
        assert row["first_name"] == hashlib.sha256(b"Ana c00004").hexdigest()
    else:
        assert "email" not in customers.columns and "first_name" not in customers.columns


def test_older_versions_holding_an_erased_person_are_dropped_by_the_next_publish(
    warehouse: Path, tmp_path: Path
) -> None:
    root = tmp_path / "serving"
    with duckdb.connect(str(warehouse)) as con:
        erasures = con.execute("select * from raw.erasures").fetchall()
        con.execute("delete from raw.erasures")
    publish(warehouse, root, date(2025, 6, 29), "run_1")
    publish(warehouse, root, date(2025, 6, 30), "run_2")
    with duckdb.connect(str(warehouse)) as con:
        con.executemany("insert into raw.erasures values (?, ?, ?, ?)", erasures)
    publish(warehouse, root, AS_OF, "run_3")
    versions = sorted(p.name for p in (root / "versions").iterdir())
    assert len(versions) == 1 and versions[0].endswith(AS_OF.isoformat())
    for path in root.rglob("*.parquet"):
        frame = pl.read_parquet(path)
        if "customer_id" in frame.columns:
            assert not {"c00003", "c00005"} & set(frame["customer_id"]), path
    for path in root.rglob("*.duckdb"):
        assert b"c00003@example.com" not in path.read_bytes() and b"c00005" not in path.read_bytes(), path
    assert "2025-06-29" not in (root / "manifest.json").read_text()


@pytest.mark.parametrize("duckdb_file", ["tables", "views"])
def test_a_backfill_re_issues_the_current_version_without_the_erased(
    warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, duckdb_file: str
) -> None:
    """`current` stays on the newest date during a backfill, yet loses the erased people at the
    run that sees the erasure: it is re-issued (same date, new version) and the old one dropped.
    A views-mode version is re-issued from its views (so from its Parquet) into tables."""
    monkeypatch.setenv("RAPPORT_SERVING_DUCKDB", duckdb_file)
    get_settings.cache_clear()
    root = tmp_path / "serving"
    with duckdb.connect(str(warehouse)) as con:
        erasures = con.execute("select * from raw.erasures").fetchall()
        con.execute("delete from raw.erasures")
    first = publish(warehouse, root, AS_OF, "run_1")
    assert {"c00003", "c00005"} <= set(_published(root)["marts.customers"]["customer_id"])
    with duckdb.connect(str(warehouse)) as con:
        con.executemany("insert into raw.erasures values (?, ?, ?, ?)", erasures)
    backfill = publish(warehouse, root, date(2025, 6, 15), "backfill")
    assert not backfill.made_current
    current = (root / "current").resolve().name
    assert current not in (first.version, backfill.version) and current.endswith(AS_OF.isoformat())
    reissued = json.loads((root / "current" / "manifest.json").read_text())
    assert reissued["as_of_date"] == AS_OF.isoformat() and reissued["previous_version"] == first.version
    assert not (root / "versions" / first.version).exists()
    rows = {t["name"]: t["rows"] for t in reissued["tables"]}
    assert rows["marts.customers"] == first.rows()["marts.customers"] - 2
    for path in root.rglob("*.parquet"):
        frame = pl.read_parquet(path)
        if "customer_id" in frame.columns:
            assert not {"c00003", "c00005"} & set(frame["customer_id"]), path
    with duckdb.connect(str(root / "rapport.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from marts.customers").fetchall()[0][0] == rows["marts.customers"]
        meta = con.execute("select distinct version from meta.manifest").fetchall()
    assert meta == [(current,)]
    for path in root.rglob("*.duckdb"):
        assert b"c00003@example.com" not in path.read_bytes(), path
