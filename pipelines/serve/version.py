"""Pieces of a serving version shared by publish and re-issue: its name and inner manifest."""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.serve.layout import Serving
from pipelines.serve.manifest import Manifest


def next_version(serving: Serving, as_of: date) -> str:
    """A sequence number first, so names sort in publish order even when an older date is rerun."""
    seqs = [int(p.name[1:7]) for p in serving.versions.glob("v[0-9]*") if p.name[1:7].isdigit()]
    return f"v{max(seqs, default=0) + 1:06d}_{as_of.isoformat()}"


def write_meta(con: duckdb.DuckDBPyConnection, m: Manifest) -> None:
    """The manifest inside the file too, so one connection sees counts and data of the same version."""
    con.execute("create schema if not exists serving.meta")
    con.execute(
        "create table serving.meta.manifest (version varchar, run_id varchar, as_of_date date, "
        "table_name varchar, row_count bigint, parquet_sha256 varchar)"
    )
    con.executemany(
        "insert into serving.meta.manifest values (?, ?, ?, ?, ?, ?)",
        [[m.version, m.run_id, m.as_of_date, t.name, t.rows, t.sha256] for t in m.tables],
    )
    con.execute("detach serving")
