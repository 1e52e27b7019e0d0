"""The values of a set of columns, as the SQL whose distinct distinct.py streams.

One `union all` of every column is the cheapest (each value tested once, one scan), but DuckDB
2.0's distinct of a union goes external only while no branch has finished: once a small table's
branch is merged, the rest must fit the cap, and at 10M customers it did not (DECISIONLOG,
i20forget). So when the cells could not fit the connection's cap, each table's own distinct
values (its columns unnested: one pipeline, which spills) are written to a Parquet file first, and
the distinct reads those files. Files, not a temp table: a temp table's rows written inside
forget's transaction could not spill (out of memory at 1M under 200MB). One distinct over all the
files spilled 21-27 GB at 10M under the 2GB cap (stop 21), so each table's values are written in
parts by a hash of the value, and each part's distinct is its own query: the parts hold disjoint
values, and a query's spill is freed when it ends, so the disk a distinct takes is a part's, not
the whole union's. The folder holds everyone's values: removed before and after, whatever happens.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

# Bytes of the cap a cell of the union may take: the 1M shop's union (266M cells, 22M distinct)
# passes in one go under 1GB, so the default 2GB cap takes up to ~1.25M customers' in one union.
CELL_BYTES = 6
# parts a cap's worth of cells (by CELL_BYTES) is written in: a part's distinct then needs about a
# quarter of the cap, and spills little if the estimate is off
PARTS_PER_CAP = 4
MAX_PARTS = 256
_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def _cap(con: duckdb.DuckDBPyConnection) -> float:
    ((limit,),) = con.execute("select current_setting('memory_limit')").fetchall()
    number, unit = str(limit).split()  # DuckDB prints it as e.g. '1.8 GiB'
    return float(number) * _UNITS[unit]


@contextmanager
def values_sql(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> Iterator[list[str]]:
    """SQL parts (column `v`) whose values together are the non-null values of `pairs` ((table,
    column), quoted SQL names), no value in two parts; valid inside the block. The files go beside
    DuckDB's own spill (the warehouse's `.tmp`, one writer at a time): a fixed name, so a killed
    run's are removed by the next."""
    union = " union all ".join(f"select {n} as v from {table} where {n} is not null" for table, n in pairs)
    tables: dict[str, list[str]] = {}
    for table, name in pairs:
        tables.setdefault(table, []).append(name)
    # a table's row count is metadata: the cells cost nothing to count
    cells = sum(len(n) * con.execute(f"select count(*) from {t}").fetchall()[0][0] for t, n in tables.items())
    ((spill,),) = con.execute("select current_setting('temp_directory')").fetchall()
    ((path,),) = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    if path:  # a killed run's files hold everyone's values: gone, whichever way this run goes
        shutil.rmtree(Path(spill) / "forget-values", ignore_errors=True)
    if not pairs or cells * CELL_BYTES <= _cap(con):
        yield [union]
        return
    parts = max(1, min(MAX_PARTS, math.ceil(PARTS_PER_CAP * cells * CELL_BYTES / _cap(con))))
    # an in-memory database (tests) has no folder of its own: a fresh one
    folder = Path(spill) / "forget-values" if path else Path(tempfile.mkdtemp()) / "forget-values"
    folder.mkdir(parents=True)
    try:
        for i, (table, names) in enumerate(tables.items()):
            values = f"select distinct v from (select unnest([{', '.join(names)}]) as v from {table})"
            con.execute(
                f"copy (select v, hash(v) % {parts} as part from ({values}) where v is not null)"
                f" to '{folder / f'{i:04d}'}' (format parquet, compression lz4, partition_by (part))"
            )
        # a part no table has a value of has no file (and read_parquet refuses an empty glob)
        found = sorted({int(p.name.removeprefix("part=")) for p in folder.glob("*/part=*")})
        yield [f"select v from read_parquet('{folder}/*/part={k}/*.parquet')" for k in found]
    finally:
        shutil.rmtree(folder if path else folder.parent, ignore_errors=True)
