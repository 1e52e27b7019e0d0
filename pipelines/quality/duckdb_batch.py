"""A staged batch held in its own DuckDB file (table `batch`), for GX's DuckDB-fed metrics.

The gate copies an entity's staged rows (only the columns its suite reads, with the derived
columns and each row's position `_row`) out of the warehouse once, so the warehouse is free
again while GX validates, and no pandas copy of the rows is ever made: GX gets a zero-row
frame (`empty_frame`), the report gets the few example rows it shows (`rows`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.quality.duckdb_metrics import ROW, missing


def _q(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


@dataclass(frozen=True)
class DuckDBBatch:
    database: Path
    columns: tuple[str, ...]
    row_count: int

    def _read(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        with duckdb.connect(str(self.database), read_only=True) as con:
            return con.execute(sql, params or []).df()

    def frame(self) -> pd.DataFrame:
        """Every row, as a pandas frame (for a suite the DuckDB metrics do not cover)."""
        return self._read("select * from batch order by rowid")

    def empty_frame(self) -> pd.DataFrame:
        """The batch's columns, no rows: what GX's pandas engine is handed."""
        return self._read("select * from batch limit 0")

    def rows(self, labels: Iterable[int]) -> pd.DataFrame:
        """The rows at these positions, indexed by position (GX's index labels)."""
        wanted = sorted({int(label) for label in labels})
        frame = self._read(
            f"select rowid as {ROW}, * from batch where rowid in (select unnest(?::bigint[]))", [wanted]
        )
        return frame.set_index(ROW)

    def all_empty(self, columns: Sequence[str]) -> bool:
        """Every value of every column missing (a column the batch lacks is not empty)."""
        if not columns or any(c not in self.columns for c in columns):
            return False
        with duckdb.connect(str(self.database), read_only=True) as con:
            types = dict(con.execute("select column_name, column_type from (describe batch)").fetchall())
            counts = ", ".join(f"count(*) filter (where not {missing(c, types)})" for c in columns)
            (found,) = con.execute(f"select {counts} from batch").fetchall()
        return not any(found)


def copy_batch(con: duckdb.DuckDBPyConnection, query: str, into: Path) -> DuckDBBatch:
    """Copy `query`'s rows into `into`, stored in the order its `order by` gives, so a row's
    `rowid` there is its GX index label, the position a pandas frame of the query gives it.
    The copy runs inside DuckDB (an attached file): no row passes through Python."""
    into.unlink(missing_ok=True)
    path = str(into).replace("'", "''")
    con.execute(f"attach '{path}' as _rapport_batch (read_write)")
    try:
        con.execute(f"create table _rapport_batch.batch as {query}")
        columns = [r[0] for r in con.execute("describe _rapport_batch.batch").fetchall()]
        (count,) = con.execute("select count(*) from _rapport_batch.batch").fetchall()[0]
    finally:
        con.execute("detach _rapport_batch")
    return DuckDBBatch(into, tuple(columns), int(count))
