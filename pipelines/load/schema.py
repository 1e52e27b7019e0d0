"""Table layouts of schema `incoming` and the staging scratch tables (raw_tables.py: schema `raw`)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import duckdb

from pipelines.contract import ENTITIES, Entity
from pipelines.load.withheld import OPT_OUTS

if TYPE_CHECKING:
    from pipelines.load.header import Layout

LINEAGE = (("_source_file", "varchar"), ("_source_line", "bigint"))
QUARANTINE = (
    ("entity", "varchar"),
    ("source_file", "varchar"),
    ("source_line", "bigint"),
    ("column_name", "varchar"),
    ("value", "varchar"),
    ("reason", "varchar"),
)
FILES = (
    ("source_file", "varchar"),
    ("entity", "varchar"),
    ("size_bytes", "bigint"),
    ("checksum", "varchar"),
    ("rows_in", "bigint"),
    ("rows_staged", "bigint"),
    ("rows_quarantined", "bigint"),
)


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def columns_ddl(cols: tuple[tuple[str, str], ...]) -> str:
    """`name type, ...` of a CREATE TABLE."""
    return ", ".join(f"{ident(name)} {type_}" for name, type_ in cols)


def entity_columns(entity: Entity) -> tuple[tuple[str, str], ...]:
    """Contract columns with their DuckDB types, then the lineage columns."""
    return tuple((c.name, c.type) for c in entity.columns) + LINEAGE


def raw_varchar_columns(entity: Entity) -> tuple[tuple[str, str], ...]:
    """The untyped landing of one entity: every contract column still as text."""
    return tuple((c.name, "varchar") for c in entity.columns) + LINEAGE


def insert_target(layout: Layout, pick: list[str]) -> tuple[str, str]:
    """Column list of the untyped table and the select list: file column or NULL per column."""
    found = dict(layout.positions)
    names = ENTITIES[layout.file.entity].column_names
    values = [f"{pick[found[c]]}::varchar" if c in found else "null::varchar" for c in names]
    return ", ".join(ident(c) for c in names), ", ".join(values)


def untyped(entity: str) -> str:
    """Temp table holding one entity's landed rows as text, before typing."""
    return ident("_text_" + entity)


def create_incoming(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date) -> None:
    """A fresh staging schema with its batch tables (create_staging, then create_batch)."""
    create_staging(con)
    create_batch(con, run_id, as_of)


def create_staging(con: duckdb.DuckDBPyConnection) -> None:
    """A fresh staging schema: typed entity tables, quarantine, withheld opt-outs; untyped twins."""
    con.execute("drop schema if exists incoming cascade")
    con.execute("create schema incoming")
    for entity in ENTITIES.values():
        name = entity.name
        con.execute(f"create table incoming.{ident(name)} ({columns_ddl(entity_columns(entity))})")
        # the untyped twin is scratch space of this connection: memory first, never committed
        con.execute(f"create temp table {untyped(name)} ({columns_ddl(raw_varchar_columns(entity))})")
    breaks = "entity varchar, source_file varchar, from_rowid bigint, base bigint"  # see numbered.py
    con.execute(f"create or replace temp table _line_breaks ({breaks})")
    con.execute(f"create table incoming._quarantine ({columns_ddl(QUARANTINE)})")
    con.execute(f"create table incoming._withheld_opt_outs ({columns_ddl(OPT_OUTS)})")


def create_batch(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date) -> None:
    """The file list and the batch's run: what makes a staged batch committable (commit.py needs
    `_files`) and what the guard reads, so stage.py creates them in its last transaction."""
    con.execute(f"create table incoming._files ({columns_ddl(FILES)})")
    # which run staged the batch, so a commit under another run id is caught
    con.execute("create table incoming._batch (run_id varchar, as_of date, staged_at timestamp)")
    con.execute("insert into incoming._batch values (?, ?, now()::timestamp)", [run_id, as_of])


def drop_untyped(con: duckdb.DuckDBPyConnection) -> None:
    for entity in ENTITIES.values():
        con.execute(f"drop table if exists {untyped(entity.name)}")
    con.execute("drop table if exists _line_breaks")
