"""Read one group of same-header CSV files into the entity's untyped table, in one DuckDB scan.

The contract's fixed RFC 4180 dialect (no sniffing); malformed records go to DuckDB's rejects
tables with their record numbers. Physical line numbers come from line_shift.py: a handful of
breakpoints per file, kept in `_line_breaks` and joined in DuckDB when the rows are typed
(numbered.py), so no per-row array is built in Python and the scan is not copied.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.load.header import Layout
from pipelines.load.line_shift import Shifts, line_shifts
from pipelines.load.orphans import BAD_ENCODING, UNPARSEABLE
from pipelines.load.scan import run_reader
from pipelines.load.schema import insert_target, untyped

_CSV = (
    "auto_detect=false, header=true, delim=$delim, quote=$quote, escape=$quote, encoding=$encoding,"
    " filename=true, store_rejects=true, rejects_table='_rejects', rejects_scan='_reject_scans',"
    " rejects_limit=0"
)


def _shifts(
    con: duckdb.DuckDBPyConnection, layouts: list[Layout], start: int
) -> tuple[Shifts, dict[str, int]]:
    """Breakpoints of the rows read from rowid `start` on, and each file's first rowid."""
    path_of = {x.file.source_file: str(x.file.path) for x in layouts}
    good: dict[str, int] = {}
    first: dict[str, int] = {}
    for source_file, n, low, high in con.execute(
        f"select _source_file, count(*), min(rowid), max(rowid) from {untyped(layouts[0].file.entity)}"
        " where rowid >= $start group by all",
        {"start": start},
    ).fetchall():
        # a file's rows must sit together in scan order, or row ordinals would be wrong
        if high - low + 1 != n:
            raise RuntimeError(f"DuckDB did not keep the row order of {source_file}")
        good[path_of[source_file]], first[source_file] = n, low
    rejected: dict[str, list[int]] = {}
    for path, line in con.execute(
        "select distinct s.file_path, e.line from _rejects e"
        " join _reject_scans s using (scan_id, file_id) order by all"
    ).fetchall():
        rejected.setdefault(path, []).append(line)
    files = [(x.file.path, x.file.source_file, x.delimiter, x.quote, x.encoding) for x in layouts]
    return line_shifts(files, good, rejected), first


def _store_breaks(
    con: duckdb.DuckDBPyConnection, entity: str, layouts: list[Layout], s: Shifts, first: dict[str, int]
) -> None:
    """Breakpoints in rowid terms (line = rowid + base from `from_rowid` on), one at least per
    file with rows, into `_line_breaks` (numbered.py turns them into lines)."""
    names = [x.file.source_file for x in layouts]
    breaks = {(i, 1): 0 for i, name in enumerate(names) if name in first}  # a file starts unshifted
    given = zip(s.file_idx, s.from_ord, s.shift, strict=True)
    breaks.update({(i, o): sh for i, o, sh in given if names[i] in first})  # a file of rejects has none
    rows = sorted(
        (names[i], first[names[i]] + o - 1, sh + 2 - first[names[i]]) for (i, o), sh in breaks.items()
    )
    table = pa.table(
        {
            "source_file": [r[0] for r in rows],
            "from_rowid": pa.array([r[1] for r in rows], pa.int64()),
            "base": pa.array([r[2] for r in rows], pa.int64()),
        }
    )
    con.register("_new_breaks", table)
    con.execute("insert into _line_breaks select $entity, * from _new_breaks", {"entity": entity})
    con.unregister("_new_breaks")
    i32, i64 = pa.int32(), pa.int64()
    rejects = {"file_idx": pa.array(s.reject_idx, i32), "rec": pa.array(s.reject_rec, i64)}
    con.register("_reject_lines", pa.table({**rejects, "line": pa.array(s.reject_line, i64)}))


def _prefix(layouts: list[Layout]) -> int:
    """Characters before the source file name in each path (discover: path = landing / name)."""
    cut = {len(str(x.file.path)) - len(x.file.source_file) for x in layouts}
    if len(cut) != 1 or any(not str(x.file.path).endswith(x.file.source_file) for x in layouts):
        raise RuntimeError("landing paths do not end in their source file names")
    return cut.pop()


def read_csv_group(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    """Rows in per source file and the files numbered by record (see lines.py); needs `_paths`.

    The scan goes straight into the untyped table (no intermediate copy): the source file is
    cut from the path, the line comes later from the rowid and the breakpoints (numbered.py)."""
    header = layouts[0].header
    entity = layouts[0].file.entity
    struct = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    for table in ("_rejects", "_reject_scans"):
        con.execute(f"drop table if exists {table}")
    first = layouts[0]
    columns, values = insert_target(layouts[0], [f"c{i}" for i in range(len(header))])
    # rowids of rows appended inside a transaction do not start at 0: continue after the last
    start = con.execute(f"select coalesce(max(rowid) + 1, 0) from {untyped(entity)}").fetchall()[0][0]
    run_reader(
        con,
        layouts,
        f"insert into {untyped(entity)} ({columns}, _source_file) select {values},"
        f" substr(filename, {_prefix(layouts) + 1}) from read_csv($paths, columns={{{struct}}}, {_CSV})",
        {"delim": first.delimiter, "quote": first.quote, "encoding": first.encoding},
    )
    shifts, firsts = _shifts(con, layouts, start)
    _store_breaks(con, entity, layouts, shifts, firsts)
    con.execute(
        "insert into incoming._quarantine select $entity, p.source_file, coalesce(r.line, e.line),"
        " case when e.column_name is not null then list_extract($header, e.column_idx::bigint) end,"
        " left(e.csv_line, 1000), case when e.error_type = 'INVALID ENCODING' then $encoding"
        " else $reason end from _rejects e"
        " join _reject_scans s using (scan_id, file_id) join _paths p on p.filename = s.file_path"
        " left join _reject_lines r on r.file_idx = p.file_idx and r.rec = e.line",
        {"entity": entity, "header": list(header), "reason": UNPARSEABLE, "encoding": BAD_ENCODING},
    )
    con.unregister("_reject_lines")
    return shifts.rows_in, shifts.approximate
