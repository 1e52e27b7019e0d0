"""Phase 2 of a load: move the staged batch into schema `raw` in one transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from pipelines.contract import ENTITIES
from pipelines.killpoint import kill_point
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.report import EntityCounts, LoadReport
from pipelines.load.schema import ident
from pipelines.settings import get_settings
from pipelines.warehouse import connect, table_exists

if TYPE_CHECKING:
    import polars as pl


class NothingStaged(RuntimeError):
    """This run has no staged batch and has not committed one: its batch was lost."""


def _commit(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[EntityCounts, ...]:
    ensure_raw_tables(con)
    con.execute(
        "create table if not exists raw._load_runs (run_id varchar, as_of date, committed_at timestamp)"
    )
    if not table_exists(con, "incoming", "_files"):
        done = con.execute("select count(*) from raw._load_runs where run_id = ?", [run_id]).fetchall()
        if done[0][0]:
            return ()  # a retry after this run's own commit went through
        raise NothingStaged(
            f"nothing staged by run {run_id}: its batch was replaced or rejected, or never staged; "
            "stage it again (a commit never passes with nothing loaded)"
        )
    staged_by = [r[0] for r in con.execute("select run_id from incoming._batch").fetchall()]
    if staged_by != [run_id]:
        raise ValueError(f"incoming was staged by run {', '.join(staged_by)}, not by {run_id}")
    files = "(select source_file from incoming._files)"
    now = datetime.now(UTC).replace(tzinfo=None)
    for name in ENTITIES:
        # a changed file replaces every row its earlier version brought
        con.execute(f"delete from raw.{ident(name)} where _source_file in {files}")
        con.execute(f"insert into raw.{ident(name)} by name select * from incoming.{ident(name)}")
    con.execute(f"delete from raw._quarantine where source_file in {files}")
    con.execute("insert into raw._quarantine select *, $run_id from incoming._quarantine", {"run_id": run_id})
    con.execute(f"delete from raw._withheld_opt_outs where source_file in {files}")
    con.execute("insert into raw._withheld_opt_outs select * from incoming._withheld_opt_outs")
    con.execute(f"delete from raw._load_ledger where source_file in {files}")
    con.execute(
        "insert into raw._load_ledger select source_file, entity, size_bytes, checksum, rows_in,"
        " rows_staged, rows_quarantined, $run_id, $loaded_at from incoming._files",
        {"run_id": run_id, "loaded_at": now},
    )
    con.execute("insert into raw._load_runs select run_id, as_of, $at from incoming._batch", {"at": now})
    return EntityCounts.of_batch(con)


def commit_staged(warehouse: Path, run_id: str) -> LoadReport:
    """Commit what stage_landing staged (a no-op that still creates the raw tables if nothing is)."""
    with connect(warehouse) as con:
        con.execute(f"set memory_limit = '{get_settings().commit_memory_limit}'")  # validated pattern
        con.execute("begin transaction")
        try:
            counts = _commit(con, run_id)
            con.execute("drop schema if exists incoming cascade")
            kill_point("load:in_commit")
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    return LoadReport(entities=counts, run_id=run_id)


def quarantine_summary(warehouse: Path) -> pl.DataFrame:
    """Quarantined rows per entity and reason (a row with two bad columns counts once), with the
    first one's column and raw value as an example: counts alone do not say what to fix."""
    import polars as pl  # here, not at the top: the commit task never needs it

    schema = {"entity": pl.String, "reason": pl.String, "rows": pl.Int64, "example": pl.String}
    with connect(warehouse, read_only=True) as con:
        if not table_exists(con, "raw", "_quarantine"):
            return pl.DataFrame(schema=schema)
        frame = con.sql(
            "select entity, reason, count(distinct (source_file, source_line)) as rows,"
            " min_by(concat(coalesce(column_name, 'row'), ' = ',"
            " coalesce(chr(39) || left(value, 60) || chr(39), '(blank)'), ' (', source_file, ':',"
            " source_line, ')'), (source_file, source_line, column_name))"
            " as example from raw._quarantine group by all order by entity, reason"
        ).pl()
    return frame.cast(schema)
