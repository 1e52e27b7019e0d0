"""Read one group of same-header landing files into the entity's untyped table, as text.

DuckDB's native readers do the parsing: CSV with the contract's fixed RFC 4180 dialect (no
sniffing, malformed records go to a rejects table), Parquet with `file_row_number`. Python
only numbers CSV lines (see lines.py), vectorised.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pyarrow as pa

from pipelines.contract import ENTITIES
from pipelines.load.errors import BatchRejected
from pipelines.load.header import Layout
from pipelines.load.keys import BAD_ENCODING, UNPARSEABLE
from pipelines.load.lines import number_rows, record_map
from pipelines.load.schema import ident, untyped

_CSV = (
    "auto_detect=false, header=true, delim=$delim, quote=$quote, escape=$quote, encoding=$encoding,"
    " filename=true, store_rejects=true, rejects_table='_rejects', rejects_scan='_reject_scans',"
    " rejects_limit=0"
)


def _insert_target(layout: Layout, pick: list[str]) -> tuple[str, str]:
    """Column list of the untyped table and the select list: file column or NULL per column."""
    found = dict(layout.positions)
    names = ENTITIES[layout.file.entity].column_names
    values = [f"{pick[found[c]]}::varchar" if c in found else "null::varchar" for c in names]
    return ", ".join(ident(c) for c in names), ", ".join(values)


def _register_paths(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> None:
    paths = pa.table(
        {
            "file_idx": pa.array(range(len(layouts)), pa.int32()),
            "filename": [str(x.file.path) for x in layouts],
            "source_file": [x.file.source_file for x in layouts],
        }
    )
    con.register("_paths", paths)


def _numbered_csv(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    """Register `_good_lines` and `_reject_lines` (file_idx, rec/ord, line) for the last scan."""
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
    parts: dict[str, list[np.ndarray]] = {k: [] for k in ("gi", "go", "gl", "ri", "rr", "rl")}
    rows_in: dict[str, int] = {}
    approximate: list[str] = []
    for idx, layout in enumerate(layouts):
        path = str(layout.file.path)
        n_good, recs = good.get(path, 0), np.array(rejected.get(path, []), dtype=np.int64)
        records = record_map(layout.file.path, layout.delimiter, layout.quote)
        numbered = number_rows(records, n_good, recs)
        rows_in[layout.file.source_file] = n_good + recs.size
        if not numbered.exact:
            approximate.append(layout.file.source_file)
        parts["gi"].append(np.full(n_good, idx, dtype=np.int32))
        parts["go"].append(np.arange(1, n_good + 1, dtype=np.int64))
        parts["gl"].append(numbered.good)
        parts["ri"].append(np.full(recs.size, idx, dtype=np.int32))
        parts["rr"].append(recs)
        parts["rl"].append(numbered.rejected)
    cat = {k: np.concatenate(v) for k, v in parts.items()}
    con.register("_good_lines", pa.table({"file_idx": cat["gi"], "ord": cat["go"], "line": cat["gl"]}))
    con.register("_reject_lines", pa.table({"file_idx": cat["ri"], "rec": cat["rr"], "line": cat["rl"]}))
    return rows_in, approximate


def _read_csv(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    header = layouts[0].header
    struct = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    for table in ("_scan", "_rejects", "_reject_scans"):
        con.execute(f"drop table if exists {table}")
    first = layouts[0]
    _run_reader(
        con,
        layouts,
        f"create temp table _scan as select * from read_csv($paths, columns={{{struct}}}, {_CSV})",
        {"delim": first.delimiter, "quote": first.quote, "encoding": first.encoding},
    )
    rows_in, approximate = _numbered_csv(con, layouts)
    entity = layouts[0].file.entity
    columns, values = _insert_target(layouts[0], [f"s.c{i}" for i in range(len(header))])
    con.execute(
        f"insert into {untyped(entity)} ({columns}, _source_file, _source_line) "
        f"select {values}, s.source_file, g.line from (select _scan.*, p.file_idx, p.source_file,"
        " _scan.rowid - f.first + 1 as ord from _scan join _paths p using (filename)"
        " join (select filename, min(rowid) as first from _scan group by all) f using (filename)"
        ") s join _good_lines g using (file_idx, ord)"
    )
    con.execute(
        "insert into incoming._quarantine select $entity, p.source_file, r.line,"
        " case when e.column_name is not null then list_extract($header, e.column_idx::bigint) end,"
        " left(e.csv_line, 1000), case when e.error_type = 'INVALID ENCODING' then $encoding"
        " else $reason end from _rejects e"
        " join _reject_scans s using (scan_id, file_id) join _paths p on p.filename = s.file_path"
        " join _reject_lines r on r.file_idx = p.file_idx and r.rec = e.line",
        {"entity": entity, "header": list(header), "reason": UNPARSEABLE, "encoding": BAD_ENCODING},
    )
    for view in ("_good_lines", "_reject_lines"):
        con.unregister(view)
    con.execute("drop table _scan")
    return rows_in, approximate


def _read_parquet(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> dict[str, int]:
    entity = layouts[0].file.entity
    pick = [f"r.{ident(name)}" for name in layouts[0].header]
    columns, values = _insert_target(layouts[0], pick)
    _run_reader(
        con,
        layouts,
        f"insert into {untyped(entity)} ({columns}, _source_file, _source_line) "
        f"select {values}, p.source_file, r.file_row_number + 1 "
        "from read_parquet($paths, filename=true, file_row_number=true) r "
        "join _paths p on p.filename = r.filename",
    )
    counts = dict(
        con.execute(
            f"select _source_file, count(*) from {untyped(entity)}"
            " where _source_file in (select source_file from _paths) group by all"
        ).fetchall()
    )
    return {x.file.source_file: counts.get(x.file.source_file, 0) for x in layouts}


def _run_reader(
    con: duckdb.DuckDBPyConnection, layouts: list[Layout], sql: str, params: dict[str, str] | None = None
) -> None:
    """Run the statement that reads the files; its failure is the files' fault."""
    try:
        con.execute(sql, {"paths": [str(x.file.path) for x in layouts], **(params or {})})
    except duckdb.Error as e:
        culprit = next((x.file.source_file for x in layouts if str(x.file.path) in str(e)), None)
        names = culprit or ", ".join(x.file.source_file for x in layouts)
        raise BatchRejected(names, f"unreadable file ({e})") from e


def read_group(con: duckdb.DuckDBPyConnection, layouts: list[Layout]) -> tuple[dict[str, int], list[str]]:
    """Rows in per source file, and the files whose line numbers are record numbers."""
    _register_paths(con, layouts)
    if layouts[0].file.fmt == "csv":
        rows_in, approximate = _read_csv(con, layouts)
    else:
        rows_in, approximate = _read_parquet(con, layouts), []
    con.unregister("_paths")
    return rows_in, approximate
