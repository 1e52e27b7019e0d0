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
        # spelled uncompressed so the test can read the bytes; a compressed column keeps them alike
        con.execute(
            "create schema marts; create table marts.visits"
            " (customer_id varchar, address varchar using compression uncompressed, n int);"
            " insert into marts.visits select 'C2', '5 Hill St', i from range(150000) t(i);"
            f" update marts.visits set customer_id = 'C1', address = '{address}' where n = 10; checkpoint;"
            # a delete leaves the row group's blocks as they are: its bytes stay in a live block
            " delete from marts.visits where customer_id = 'C1'; checkpoint"
        )
    assert address.encode() in (home / "warehouse.duckdb").read_bytes()  # a deleted row, still in the file
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert con.execute("select count(*), count(distinct address) from marts.visits").fetchall() == [
            (149999, 1)
        ]  # fmt: skip
    assert address.encode() not in (home / "warehouse.duckdb").read_bytes()
