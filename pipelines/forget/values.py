"""The values of a set of columns, as the SQL whose distinct distinct.py streams.

One `union all` of every column is the cheapest (each value tested once, one scan), but DuckDB
2.0's distinct of a union goes external only while no branch has finished: once a small table's
branch is merged, the rest must fit the cap (DECISIONLOG, i20forget). So when the cells could not
fit the connection's cap, the columns are packed into groups whose cells do fit it (by the same
estimate), each group its own distinct; a value in two groups is tested in each (the caller keeps
it once). They are packed by name read from its end, so the columns that hold the same values
(`customer_id` in ~47 tables, `source_customer_id`, `order_id` in 10) meet in one group: packed
by table, a customer id was tested in every group (1M under 650MB: 44.2M values tested for 22.2M
distinct; by name 30.7M; DECISIONLOG, i27forget). Each group's distinct is one pipeline, which
spills whatever the values (the estimate only sizes the groups): one table's columns unnested;
several tables, each table's distinct (one pipeline) put into a temporary table first, read when
the group's turn comes and dropped after it, so the disk a group takes is its own (DECISIONLOG,
i26forgetcap: a group's union ran out of memory at 3M customers under the default cap). Stop 22
wrote each table's distinct values to Parquet in hash parts: dearer than testing the few values
two groups share (DECISIONLOG, i24forget3m).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

import duckdb

# Bytes of the cap a cell of the union may take: the 1M shop's union (266M cells, 22M distinct)
# passes in one go under 1GB, so the default 2GB cap takes up to ~1.25M customers' in one union.
CELL_BYTES = 6
_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}
_names = itertools.count()


def _cap(con: duckdb.DuckDBPyConnection) -> float:
    ((limit,),) = con.execute("select current_setting('memory_limit')").fetchall()
    number, unit = str(limit).split()  # DuckDB prints it as e.g. '1.8 GiB'
    return float(number) * _UNITS[unit]


def _table(table: str, names: list[str]) -> str:
    """One table's values, one pipeline (a distinct over it spills)."""
    if len(names) == 1:
        return f"select {names[0]} as v from {table} where {names[0]} is not null"
    return f"select v from (select unnest([{', '.join(names)}]) as v from {table}) where v is not null"


def _groups(con: duckdb.DuckDBPyConnection, groups: list[dict[str, list[str]]]) -> Iterator[str]:
    for group in groups:
        if len(group) == 1:
            ((table, names),) = group.items()
            yield _table(table, names)
            continue
        held = f"_forget_group_{next(_names)}"
        con.execute(f"create temp table {held} (v varchar)")
        try:
            for table, names in group.items():
                con.execute(f"insert into {held} select distinct v from ({_table(table, names)})")
            yield f"select v from {held}"
        except BaseException:  # an aborted transaction takes the table with it
            with suppress(duckdb.Error):
                con.execute(f"drop table if exists {held}")
            raise
        con.execute(f"drop table {held}")


@contextmanager
def values_sql(con: duckdb.DuckDBPyConnection, pairs: Sequence[tuple[str, str]]) -> Iterator[Iterator[str]]:
    """SQL groups (column `v`) whose values together are the non-null values of `pairs` ((table,
    column), quoted SQL names), each group's cells within the connection's cap (a column over it
    alone); a value may be in two groups. A group's SQL is valid until the next one is drawn."""
    tables: dict[str, list[str]] = {}
    for table, name in pairs:
        tables.setdefault(table, []).append(name)
    # a table's row count is metadata: the cells cost nothing to count (a column's are its rows)
    rows = {t: con.execute(f"select count(*) from {t}").fetchall()[0][0] for t in tables}
    ((spill,),) = con.execute("select current_setting('temp_directory')").fetchall()
    ((path,),) = con.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    if path:  # an earlier version's killed run left everyone's values here: gone
        shutil.rmtree(Path(spill) / "forget-values", ignore_errors=True)
    budget = _cap(con) / CELL_BYTES if CELL_BYTES else float("inf")
    if sum(rows[t] * len(n) for t, n in tables.items()) <= budget:  # under the cap: the one union
        yield iter([" union all ".join(f"select {n} as v from {t} where {n} is not null" for t, n in pairs)])
        return
    # packed by column name read from its end, not by table: columns whose names end alike hold
    # the same values (a customer id sits in ~47 `customer_id` columns, beside `source_customer_id`
    # and `referred_customer_id`), which then meet in one group's distinct and are tested once
    # and a name's columns are never split: split, `customer_id` (47 columns, 52M cells at 1M; over
    # a 10M group's budget) had its ids drawn and tested in each of its groups (DECISIONLOG, i28forget)
    groups: list[dict[str, list[str]]] = []
    held = 0
    ordered = sorted(pairs, key=lambda pair: (pair[1][::-1], pair[0]))
    for _, named in itertools.groupby(ordered, key=lambda pair: pair[1]):
        columns = list(named)
        size = sum(rows[table] for table, _ in columns)
        if not groups or held + size > budget:  # a name over the budget is a group of its own
            groups.append({})
            held = 0
        for table, name in columns:
            groups[-1].setdefault(table, []).append(name)
        held += size
    yield _groups(con, groups)
