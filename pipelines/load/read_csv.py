"""Read one group of same-header CSV files into the entity's untyped table, in one DuckDB scan.

The contract's fixed RFC 4180 dialect (no sniffing); malformed records go to DuckDB's rejects
tables with their record numbers. Physical line numbers come from line_shift.py: a handful of
breakpoints per file, joined in DuckDB, so no per-row array is built in Python.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.load.header import Layout
from pipelines.load.keys import BAD_ENCODING, UNPARSEABLE
from pipelines.load.line_shift import Shifts, line_shifts
from pipelines.load.scan import run_reader
from pipelines.load.schema import insert_target, untyped

_CSV = (
    "auto_detect=false, header=true, delim=$delim, quote=$quote, escape=$quote, encoding=$encoding,"
    " filename=true, store_rejects=true, rejects_table='_rejects', rejects_scan='_reject_scans',"
    " rejects_limit=0"
)


def _shifts(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> Shifts:
    good: dict[str, int] = {}
    for path, n, first, last in con.execute(
        "select filename, count(*), min(rowid), max(rowid) from _scan group by all"
    ).fetchall():
        # a file's rows must sit together in scan order, or row ordinals would be wrong
        if last - first + 1 != n:
            raise RuntimeError(f"DuckDB did not keep the row order of {path}")
        good[path] = n
    rejected: dict[str, list[int]] = {}
    for path, line in con.execute(
        "select distinct s.file_path, e.line from _rejects e"
        " join _reject_scans s using (scan_id, file_id) order by all"
    ).fetchall():
        rejected.setdefault(path, []).append(line)
    files = [(x.file.path, x.file.source_file, x.delimiter, x.quote, x.encoding) for x in layouts]
    return line_shifts(files, good, rejected)


def _register(con: duckdb.DuckDBPyConnection, s: Shifts) -> None:
    i32, i64 = pa.int32(), pa.int64()
    breaks = {"file_idx": pa.array(s.file_idx, i32), "from_ord": pa.array(s.from_ord, i64)}
    con.register("_breaks", pa.table({**breaks, "shift": pa.array(s.shift, i64)}))
    rejects = {"file_idx": pa.array(s.reject_idx, i32), "rec": pa.array(s.reject_rec, i64)}
    con.register("_reject_lines", pa.table({**rejects, "line": pa.array(s.reject_line, i64)}))


def read_csv_group(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    """Rows in per source file and the files numbered by record (see lines.py); needs `_paths`."""
    header = layouts[0].header
    struct = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    for table in ("_scan", "_rejects", "_reject_scans"):
        con.execute(f"drop table if exists {table}")
    first = layouts[0]
    run_reader(
        con,
        layouts,
        f"create temp table _scan as select * from read_csv($paths, columns={{{struct}}}, {_CSV})",
        {"delim": first.delimiter, "quote": first.quote, "encoding": first.encoding},
    )
    shifts = _shifts(con, layouts)
    _register(con, shifts)
    entity = layouts[0].file.entity
    columns, values = insert_target(layouts[0], [f"s.c{i}" for i in range(len(header))])
    con.execute(
        f"insert into {untyped(entity)} ({columns}, _source_file, _source_line) "
        f"select {values}, s.source_file, s.ord + 1 + coalesce(b.shift, 0) from (select _scan.*,"
        " p.file_idx, p.source_file, _scan.rowid - f.first + 1 as ord from _scan join _paths p"
        " using (filename) join (select filename, min(rowid) as first from _scan group by all) f"
        " using (filename)) s asof left join _breaks b on s.file_idx = b.file_idx and s.ord >= b.from_ord"
    )
    con.execute(
        "insert into incoming._quarantine select $entity, p.source_file, coalesce(r.line, e.line),"
        " case when e.column_name is not null then list_extract($header, e.column_idx::bigint) end,"
        " left(e.csv_line, 1000), case when e.error_type = 'INVALID ENCODING' then $encoding"
        " else $reason end from _rejects e"
        " join _reject_scans s using (scan_id, file_id) join _paths p on p.filename = s.file_path"
        " left join _reject_lines r on r.file_idx = p.file_idx and r.rec = e.line",
        {"entity": entity, "header": list(header), "reason": UNPARSEABLE, "encoding": BAD_ENCODING},
    )
    for view in ("_breaks", "_reject_lines"):
        con.unregister(view)
    con.execute("drop table _scan")
    return shifts.rows_in, shifts.approximate
