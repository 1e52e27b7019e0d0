"""pipelines.spark_views: DuckDB views over Spark's table folders, laid out as Spark writes them.

No Spark here: the folders are hand-made in Spark's layout (part files, `_SUCCESS`, hidden
`.crc` files, `col=value` partition folders, a `file:` location); `make spark` runs the real thing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.spark_views import attach_spark_tables


def _spark_folder(folder: Path, frames: list[pl.DataFrame]) -> None:
    folder.mkdir(parents=True)
    (folder / "_SUCCESS").write_bytes(b"")
    for i, frame in enumerate(frames):
        frame.write_parquet(folder / f"part-{i:05d}-c000.snappy.parquet")
        (folder / f".part-{i:05d}-c000.snappy.parquet.crc").write_bytes(b"\x00crc")


def test_views_read_spark_tables_and_replace_a_table_of_the_same_name(tmp_path: Path) -> None:
    spark = tmp_path / "warehouse"
    customers = pl.DataFrame({"customer_id": ["c1", "c2", "c3"], "net_revenue": [10.5, 0.0, 3.25]})
    _spark_folder(spark / "marts.db" / "customers", [customers[:2], customers[2:]])
    history = spark / "marts.db" / "customer_segment_history"
    for day, ids in (("2024-06-30", ["c1"]), ("2024-07-01", ["c1", "c2"])):
        _spark_folder(history / f"as_of_date={day}", [pl.DataFrame({"customer_id": ids, "segment": "x"})])
    empty = spark / "segments.db" / "segment_x"
    _spark_folder(empty, [])
    warehouse = tmp_path / "views.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute("create schema marts; create table marts.customers as select 'stale' as customer_id")
    con.close()

    names = attach_spark_tables(
        warehouse,
        {
            "marts.customers": {
                "location": f"file:{spark}/marts.db/customers",
                "partitions": [],
                "columns": [],
            },
            "marts.customer_segment_history": {
                "location": str(history),
                "partitions": ["as_of_date"],
                "columns": [],
            },
            # an empty segment: Spark may leave its folder without a file
            "segments.segment_x": {
                "location": str(empty),
                "partitions": [],
                "columns": [("customer_id", "string"), ("clv_12m", "decimal(18,2)"), ("at", "timestamp_ntz")],
            },
        },
    )

    assert names == ["marts.customer_segment_history", "marts.customers", "segments.segment_x"]
    con = duckdb.connect(str(warehouse), read_only=True)
    got = con.sql("select * from marts.customers order by customer_id").pl()
    assert_frame_equal(got, customers)
    hist = con.sql("select * from marts.customer_segment_history order by all").pl()
    assert hist.columns == ["customer_id", "segment", "as_of_date"]  # partition column last, as on Spark
    assert hist["as_of_date"].to_list() == [date(2024, 6, 30), date(2024, 7, 1), date(2024, 7, 1)]
    empty_types = con.execute("describe segments.segment_x").fetchall()
    assert [(c[0], c[1]) for c in empty_types] == [
        ("customer_id", "VARCHAR"),
        ("clv_12m", "DECIMAL(18,2)"),
        ("at", "TIMESTAMP"),
    ]
    assert con.execute("select count(*) from segments.segment_x").fetchall() == [(0,)]
    kinds = con.execute("select distinct table_type from information_schema.tables").fetchall()
    assert kinds == [("VIEW",)]
    con.close()

    # a rebuilt Spark table is read as it is now: the view globs at query time
    (spark / "marts.db" / "customers" / "part-00001-c000.snappy.parquet").unlink()
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from marts.customers").fetchall() == [(2,)]
    con.close()


def test_a_missing_table_folder_is_an_error(tmp_path: Path) -> None:
    where = str(tmp_path / "marts.db" / "customers")
    with pytest.raises(FileNotFoundError, match=r"marts.customers: no folder"):
        attach_spark_tables(
            tmp_path / "views.duckdb",
            {"marts.customers": {"location": where, "partitions": [], "columns": [("a", "string")]}},
        )
