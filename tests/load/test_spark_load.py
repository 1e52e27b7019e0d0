"""The Spark loader (pipelines/spark_load.py) against the DuckDB loader on hand-written landing files.

Needs the optional uv group `spark` (pyspark; `uv sync --group spark`), skipped without it. One
in-process Spark session for the module (~30 s to start). The landing folder is written by hand,
not by the generator: wrong types, negatives, out-of-range and future dates, an unknown status,
missing keys, duplicates in a file and across files, an orphan, an unreadable consent, offsets,
padded values, a header in other case, a do-not-contact row naming nobody.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from pipelines.load.config import EntityFormat, LandingConfig
from tests.load.support import AS_OF, Site

pytest.importorskip("pyspark")

from pipelines.spark_load import load_landing_on_spark
from pipelines.spark_read import SparkLoadRefused

LANDING = {
    "customers/date=2024-02-01/customers.csv": (
        "customer_id,email,first_name,birthday,signed_up_at,marketing_consent,unsubscribed_at\n"
        "C1,a@example.com,Asha,1990-05-01,2024-01-05 10:00:00,true,\n"
        "C2,b@example.com,Ravi,1985-13-01,2024-01-06 11:00:00,false,\n"  # wrong type birthday
        "C3,c@example.com,Meena,,2024-01-07T12:00:00+05:30,true,\n"  # offset: to UTC
        "C1,a2@example.com,Asha,1990-05-01,2024-01-05 10:00:00,true,\n"  # duplicate in file
        ",d@example.com,NoId,,2024-01-08 09:00:00,true,\n"  # missing key
        "C4,e@example.com,Later,,2030-01-01 00:00:00,true,2024-02-01 00:00:00\n"  # future; opt-out kept
    ),
    "customers/date=2024-02-02/customers.csv": (
        "Customer_ID,EMAIL,signed_up_at,marketing_consent\n"  # header in other case
        'C2,b@example.com," 2024-01-06 11:00:00 ",true\n'  # restated, padded
        "C5,f@example.com,2024-02-02 08:00:00,maybe\n"  # unreadable consent reads as no
    ),
    "orders/date=2024-02-01/orders.csv": (
        "order_id,customer_id,ordered_at,amount,status,discount_amount,currency\n"
        "O1,C1,2024-02-01 10:00:00,100.50,placed,0,EUR\n"
        "O2,C2,2024-02-01 11:00:00,-5.00,shipped,,EUR\n"  # negative
        "O3,C9,2024-02-01 12:00:00,20.00,delivered,,\n"  # orphan
        "O4,C1,2024-02-01 13:00:00,abc,placed,,EUR\n"  # wrong type
        "O5,C3,2024-02-01 14:00:00,30.00,lost,,EUR\n"  # unknown status
        "O1,C1,2024-02-01 10:00:00,100.50,placed,0,EUR\n"  # duplicate in file
        "O6,C2,2099-01-01 00:00:00,10.00,placed,,EUR\n"  # future
        'O7,C4,2024-02-01 15:00:00," 12.345 ",cancelled,,""\n'  # customer quarantined: no orphan
        "O8,C1,2024-02-01 16:00:00,99999999999,placed,,EUR\n"  # out of range
        "O9,C2,,15,placed,,EUR\n"  # missing ordered_at
    ),
    "orders/date=2024-02-02/orders.csv": (
        "order_id,customer_id,ordered_at,amount,status\n"
        "O1,C1,2024-02-01 10:00:00,100.50,delivered\n"  # restated: no duplicate across files
        "O10,C2,2024-02-02 09:00:00Z,15,placed\n"
        "O11,C2,1960-01-01 00:00:00,15,placed\n"  # too early
    ),
    "order_lines/date=2024-02-01/order_lines.csv": (
        "order_line_id,order_id,product_id,quantity,unit_price\n"
        "L1,O1,P1,2,10.00\nL2,O1,P2,1.0,5.00\nL3,O1,P3,1.5,5.00\nL4,O1,P4,0,5.00\n"
    ),
    "order_lines/date=2024-02-02/order_lines.csv": (
        "order_line_id,order_id,product_id,quantity,unit_price\nL1,O1,P1,2,10.00\nL5,O10,P1,-1,3.00\n"
    ),
    "suppressions/suppressions.csv": "email,customer_id,phone,reason\nx@example.com,,,complaint\n,,,bounce\n",
}
TABLES = {  # table: columns the comparison leaves out (the load's clock)
    "customers": (),
    "orders": (),
    "order_lines": (),
    "suppressions": (),
    "_quarantine": (),
    "_load_ledger": ("loaded_at",),
    "_withheld_opt_outs": (),
}


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    home = tmp_path_factory.mktemp("spark")
    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.sql.warehouse.dir", str(home / "warehouse"))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture
def fresh(spark: Any) -> Any:
    spark.sql("drop database if exists raw cascade")
    return spark


def _rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return sorted((tuple(r) for r in rows), key=repr)


def test_spark_loads_what_the_duckdb_loader_loads(site: Site, fresh: Any) -> None:
    for rel, text in LANDING.items():
        site.write(rel, text)
    site.load(run_id="r1")
    load_landing_on_spark(fresh, site.landing, AS_OF, "r1")
    for table, ignored in TABLES.items():
        names = [
            c for (c,) in site.query(f"select column_name from (describe raw.{table})") if c not in ignored
        ]
        cols = ", ".join(f'"{c}"' for c in names)
        duck = _rows(site.query(f"select {cols} from raw.{table}"))
        spark = _rows(fresh.sql(f"select {cols} from raw.{table}").collect())
        assert spark == duck, (
            f"{table}: only DuckDB {set(duck) - set(spark)}, only Spark {set(spark) - set(duck)}"
        )
    reasons = {r for (r,) in site.query("select distinct reason from raw._quarantine")}
    assert reasons == {
        "wrong type", "negative value", "future date", "out of range", "unknown value", "orphan customer_id",
        "missing required value", "duplicate key in file", "duplicate key across files", "no identifier",
    }  # fmt: skip
    ledger = site.query("select sum(rows_in), sum(rows_loaded), sum(rows_quarantined) from raw._load_ledger")
    assert ledger == [(29, 11, 18)]  # by hand: customers 4 + 4, orders 4 + 9, lines 2 + 4, suppressions 1 + 1
    amount = fresh.sql("select amount, currency from raw.orders where order_id = 'O7'").collect()
    assert [tuple(r) for r in amount] == [(Decimal("12.35"), None)]  # padded, rounded; "" is NULL on both


def test_a_landing_config_is_refused_not_ignored(site: Site, fresh: Any) -> None:
    site.write("orders/orders.csv", "Bestell-Nr,customer_id,ordered_at,amount\nO1,C1,2024-02-01,1.00\n")
    config = LandingConfig(entities={"orders": EntityFormat(columns={"Bestell-Nr": "order_id"})})
    with pytest.raises(SparkLoadRefused, match=r"landing\.yml options"):
        load_landing_on_spark(fresh, site.landing, AS_OF, "r1", config)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        ('O1,C1,2024-02-01,1.00\nO2,C1,"2024-02-01\nmore",2.00\n', "lines for 2 rows"),
        ("O1,C1,01/02/2024,1.00\nO2,C1,02/02/2024,2.00\n", "not in the contract's format"),
    ],
    ids=["line-break-in-value", "day-first-dates"],
)
def test_what_only_the_duckdb_loader_reads_is_refused(site: Site, fresh: Any, content: str, why: str) -> None:
    site.write("orders/orders.csv", "order_id,customer_id,ordered_at,amount\n" + content)
    with pytest.raises(SparkLoadRefused, match=why):
        load_landing_on_spark(fresh, site.landing, AS_OF, "r1")
