"""A staged batch as DuckDB table or view `batch`, for GX's DuckDB-fed metrics.

The gate reads an entity's staged rows in place: `source` is the query (only the columns its
suite reads, with the derived columns) over the warehouse it holds open, `order` the batch's
row order (the lineage), so a row's position by `order` is its GX index label, the position a
pandas frame of the ordered query gives it. No pandas copy of the rows is ever made: GX gets a
zero-row frame (`empty_frame`), the report gets the few example rows it shows (`rows`).
`copy_batch` copies a query's rows into a file of their own instead (table `batch`, in order:
its rowid is the position).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.quality.duckdb_metrics import ROW, missing
from pipelines.quality.duckdb_open import opened


@dataclass(frozen=True)
class DuckDBBatch:
    database: Path | str  # the batch's own file, or the key of the warehouse connection held
    columns: tuple[str, ...]
    row_count: int
    source: str = ""  # the batch as a query over the held warehouse ("": table `batch` of `database`)
    order: tuple[str, ...] = ("rowid",)  # SQL expressions: a row's position is its rank by these

    def _read(self, sql: str, params: list[object] | None = None) -> pd.DataFrame:
        with opened(str(self.database), self.source) as (con, _):
            return con.execute(sql, params or []).df()

    def frame(self) -> pd.DataFrame:
        """Every row, as a pandas frame (for a suite the DuckDB metrics do not cover)."""
        return self._read(f"select * from batch order by {', '.join(self.order)}")

    def empty_frame(self) -> pd.DataFrame:
        """The batch's columns, no rows: what GX's pandas engine is handed."""
        return self._read("select * from batch limit 0")

    def rows(self, labels: Iterable[int]) -> pd.DataFrame:
        """The rows at these positions, indexed by position (GX's index labels)."""
        wanted = sorted({int(label) for label in labels})
        if not wanted:
            return self._read("select * from batch limit 0").rename_axis(ROW)
        order = ", ".join(self.order)
        with opened(str(self.database), self.source) as (con, held):
            known = held.located.get(self.source, {}) if held else {}
            keys = [known.get(p) for p in wanted]
            if None in keys:  # not an example the metrics looked up
                sql = f"select row_number() over (order by {order}) - 1 as {ROW}, * from batch"
                return con.execute(f"select * from ({sql}) where {ROW} in (select unnest(?::bigint[]))",
                                   [wanted]).df().set_index(ROW)  # fmt: skip
            where = " or ".join(
                "(" + " and ".join(f"{o} is not distinct from ?" for o in self.order) + ")" for _ in keys
            )
            params = [v for k in keys if k is not None for v in k]
            frame = con.execute(f"select * from batch where {where}", params).df()
        position = {key: p for p, key in zip(wanted, keys, strict=True)}
        found = [position[k] for k in frame[list(self.order)].itertuples(index=False, name=None)]
        return frame.set_axis(pd.Index(found, name=ROW)).sort_index()

    def all_empty(self, columns: Sequence[str]) -> bool:
        """Every value of every column missing (a column the batch lacks is not empty)."""
        if not columns or any(c not in self.columns for c in columns):
            return False
        with opened(str(self.database), self.source) as (con, _):
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
