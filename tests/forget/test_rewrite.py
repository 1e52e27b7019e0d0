"""What the warehouse file's rewrite must cover (pipelines/forget/rewrite.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.forget import forget_erased
from pipelines.settings import Settings


def test_rows_deleted_before_forget_leave_the_file_though_no_table_still_holds_them(home: Path) -> None:
    """dbt's incremental models delete a person's old rows and insert anonymised ones before forget
    runs: the table holds no form of theirs, so forget changes nothing in it, yet the deleted rows'
    bytes are still in its row groups. Rewriting only the tables forget changed would keep them."""
    address = "12 Lake Road, Koregaon Park"
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "create schema marts; create table marts.visits (customer_id varchar, address varchar, n int);"
            f" insert into marts.visits values ('C1', '{address}', 1), ('C2', '5 Hill St', 2); checkpoint;"
            " delete from marts.visits where customer_id = 'C1';"
            " insert into marts.visits values (null, null, 1); checkpoint"
        )
    assert address.encode() in (home / "warehouse.duckdb").read_bytes()  # a deleted row, still in the file
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select * from marts.visits order by n").fetchall() == [
            (None, None, 1), ("C2", "5 Hill St", 2)
        ]  # fmt: skip
    assert address.encode() not in (home / "warehouse.duckdb").read_bytes()
