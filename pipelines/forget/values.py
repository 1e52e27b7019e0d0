"""The values of a set of columns, as the SQL whose distinct distinct.py streams.

One `union all` of every column is the cheapest (each value tested once, one scan), but DuckDB
2.0's distinct of a union goes external only while no branch has finished: once a small table's
branch is merged, the rest must fit the cap, and at 10M customers it did not (DECISIONLOG,
i20forget). So when the cells could not fit the connection's cap, the tables are packed, in
order, into groups whose cells do fit it (by the same estimate), each group's union its own
distinct; a table over the cap alone is one group, its columns unnested (one pipeline, which
spills). A query's spill is freed when it ends, so the disk a distinct takes is a group's. A value
in two groups is tested in each (the caller keeps it once). Stop 22 wrote each table's distinct
values to Parquet in hash parts and took each part's distinct: at 3M that write and the second
distinct cost more than testing the few values two groups share (DECISIONLOG, i24forget3m).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import duckdb

# Bytes of the cap a cell of the union may take: the 1M shop's union (266M cells, 22M distinct)
# passes in one go under 1GB, so the default 2GB cap takes up to ~1.25M customers' in one union.
CELL_BYTES = 6
_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def _cap(con: duckdb.DuckDBPyConnection) -> float:
    ((limit,),) = con.execute("select current_setting('memory_limit')").fetchall()
    number, unit = str(limit).split()  # DuckDB prints it as e.g. '1.8 GiB'
    return float(number) * _UNITS[unit]


def _union(tables: dict[str, list[str]], group: list[str]) -> str:
    if len(group) == 1 and len(tables[group[0]]) > 1:  # one pipeline: its distinct spills
        unnest = f"select unnest([{', '.join(tables[group[0]])}]) as v from {group[0]}"
        return f"select v from ({unnest}) where v is not null"
    return " union all ".join(
        f"select {n} as v from {t} where {n} is not null" for t in group for n in tables[t]
    )


@contextmanager
def values_sql(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> Iterator[list[str]]:
    """SQL groups (column `v`) whose values together are the non-null values of `pairs` ((table,
    column), quoted SQL names), each group's cells within the connection's cap (a table over it
    alone); a value may be in two groups."""
    tables: dict[str, list[str]] = {}
    for table, name in pairs:
        tables.setdefault(table, []).append(name)
    # a table's row count is metadata: the cells cost nothing to count
    cells = {t: len(n) * con.execute(f"select count(*) from {t}").fetchall()[0][0] for t, n in tables.items()}
    ((spill,),) = con.execute("select current_setting('temp_directory')").fetchall()
    ((path,),) = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    if path:  # an earlier version's killed run left everyone's values here: gone
        shutil.rmtree(Path(spill) / "forget-values", ignore_errors=True)
    budget = _cap(con) / CELL_BYTES if CELL_BYTES else float("inf")
    if sum(cells.values()) <= budget:  # under the cap: the one union, as it always was
        yield [" union all ".join(f"select {n} as v from {t} where {n} is not null" for t, n in pairs)]
        return
    groups: list[list[str]] = []
    held = 0
    for table in tables:
        if groups and held + cells[table] <= budget:
            groups[-1].append(table)
            held += cells[table]
        else:
            groups.append([table])
            held = cells[table]
    yield [_union(tables, group) for group in groups]
