"""The batch's file list (`incoming._files`): each staged file with its rows in, staged and
quarantined, and the check that they reconcile.

Written last, in the transaction that makes the batch whole, so the commit ledgers exactly the
files whose rows it commits; a file whose rows in are not its rows staged plus its rows
quarantined stops the batch (a loader bug, never a data defect).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.contract import ENTITIES
from pipelines.load.discover import LandingFile
from pipelines.load.schema import ident


def record_files(con: duckdb.DuckDBPyConnection, files: list[LandingFile], rows_in: dict[str, int]) -> None:
    """Insert `files` into incoming._files with their staged and quarantined counts; raises
    RuntimeError if any file's rows do not reconcile."""
    meta = pa.table(
        {
            "source_file": [f.source_file for f in files],
            "entity": [f.entity for f in files],
            "size_bytes": pa.array([f.size_bytes for f in files], pa.int64()),
            "checksum": [f.checksum for f in files],
            "rows_in": pa.array([rows_in[f.source_file] for f in files], pa.int64()),
        }
    )
    staged = " union all ".join(
        f"select _source_file as source_file, count(*) as n from incoming.{ident(e)} group by 1"
        for e in ENTITIES
    )
    con.register("_meta", meta)
    con.execute(
        "insert into incoming._files select m.*, coalesce(s.n, 0), coalesce(q.n, 0) from _meta m"
        f" left join ({staged}) s using (source_file) left join (select source_file,"
        " count(distinct source_line) as n from incoming._quarantine group by 1) q"
        " using (source_file)"
    )
    con.unregister("_meta")
    broken = con.execute(
        "select source_file from incoming._files where rows_in <> rows_staged + rows_quarantined"
    ).fetchall()
    if broken:  # every row must end up staged or quarantined; anything else is a loader bug
        raise RuntimeError(f"row counts do not reconcile for {[r[0] for r in broken]}")
