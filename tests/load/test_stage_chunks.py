"""Staging an entity a chunk of files at a time gives what one pass over all its files gives.

Random batches of customers, orders and returns files, with the defects whose verdicts look
beyond one row: keys repeated within and across files (returns are events: a later file's key
is a duplicate; orders are restated), orphans, quarantined customers, amounts that do not read
(the value-loss share is batch-wide). Each batch is staged once whole and once one file per
chunk; every incoming table, the report and any rejection must be the same.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.load import stage_landing
from pipelines.load.errors import BatchRejected
from tests.load.support import write

AS_OF = date(2024, 3, 1)
HEADERS = {
    "customers": "customer_id,email,birthday,marketing_consent",
    "orders": "order_id,customer_id,ordered_at,amount",
    "returns": "return_id,order_id,returned_at,refund_amount",
}
AMOUNTS = st.sampled_from(["12.50", "3", "-4", "1.2.3", "", "999.99"])
IDS = st.sampled_from(["1", "2", "3"])
CUSTOMER = st.tuples(IDS, st.sampled_from(["1990-01-01", "1850-01-01", "x"]), st.booleans()).map(
    lambda r: f"c{r[0]},c{r[0]}@example.com,{r[1]},{str(r[2]).lower()}"
)
ORDER = st.tuples(IDS, st.sampled_from(["1", "2", "9"]), AMOUNTS).map(
    lambda r: f"o{r[0]},c{r[1]},2024-02-01 10:00:00,{r[2]}"
)
RETURN = st.tuples(IDS, IDS, AMOUNTS).map(lambda r: f"r{r[0]},o{r[1]},2024-02-02,{r[2]}")
FILES = st.fixed_dictionaries(
    {
        name: st.lists(st.lists(rows, min_size=1, max_size=6), max_size=4)
        for name, rows in (("customers", CUSTOMER), ("orders", ORDER), ("returns", RETURN))
    }
)


def _stage(
    landing: Path, warehouse: Path, chunk_bytes: int, share: float = 0.2
) -> tuple[list[str] | str, dict[str, set]]:
    try:
        report = stage_landing(landing, warehouse, AS_OF, "r1", max_lost_share=share, chunk_bytes=chunk_bytes)
    except BatchRejected as e:
        return f"{e.source_file}: {e.rule}", {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'incoming' and table_name <> '_batch'"
        ).fetchall()
        # sets of rows with their multiplicity (rows of a table may repeat: count them)
        tables = {
            n: set(con.execute(f'select *, count(*) from incoming."{n}" group by all').fetchall())
            for (n,) in names
        }
    return report.lines(), tables


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=FILES)
def test_chunks_of_files_stage_what_one_pass_stages(files: dict[str, list[list[str]]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        landing = Path(tmp) / "landing"
        for entity, contents in files.items():
            for day, rows in enumerate(contents, start=1):
                write(
                    landing,
                    f"{entity}/date=2024-02-0{day}/part.csv",
                    "\n".join([HEADERS[entity], *rows]) + "\n",
                )
        landing.mkdir(exist_ok=True)
        # no value-loss limit: most random batches would be rejected for it (tested below)
        whole = _stage(landing, Path(tmp) / "whole.duckdb", 1 << 40, share=1.0)
        chunked = _stage(landing, Path(tmp) / "chunked.duckdb", 1, share=1.0)
    assert chunked == whole


def test_a_key_an_earlier_chunk_brought_is_a_duplicate_and_the_amount_share_is_the_batchs(
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    write(landing, "returns/date=2024-02-01/part.csv", f"{HEADERS['returns']}\nr1,o1,2024-02-02,10\n")
    write(landing, "returns/date=2024-02-02/part.csv", f"{HEADERS['returns']}\nr1,o1,2024-02-02,10\n")
    # the second file's 70 do not read: 70 of 100 is over the 20% limit, the batch is rejected...
    write(landing, "orders/date=2024-02-01/part.csv", f"{HEADERS['orders']}\no1,c1,2024-02-01,30\n")
    write(landing, "orders/date=2024-02-02/part.csv", f"{HEADERS['orders']}\no2,c1,2024-02-01,7x0\n")
    message, _ = _stage(landing, tmp_path / "a.duckdb", 1)
    assert message == _stage(landing, tmp_path / "b.duckdb", 1 << 40)[0]
    assert isinstance(message, str) and "orders/date=2024-02-02/part.csv" in message
    write(landing, "orders/date=2024-02-03/part.csv", f"{HEADERS['orders']}\no3,c1,2024-02-01,300\n")
    # ...70 of 400 is not: decided on the whole batch, not on the chunks seen so far
    lines, tables = _stage(landing, tmp_path / "c.duckdb", 1)
    assert (
        "returns",
        "returns/date=2024-02-02/part.csv",
        2,
        "return_id",
        "r1",
        "duplicate key across files",
        1,
    ) in (tables["_quarantine"])
    assert (lines, tables) == _stage(landing, tmp_path / "d.duckdb", 1 << 40)
