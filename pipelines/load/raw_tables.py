"""Table layouts of schema `raw` (binding layout from the project brief), made or upgraded in place."""

from __future__ import annotations

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.schema import QUARANTINE, columns_ddl, entity_columns, ident
from pipelines.load.withheld import OPT_OUTS

ERASED_ROWS = (
    "create table if not exists raw._erased_rows"
    " (run_id varchar, entity varchar, source_file varchar, rows_erased bigint)"
)
LEDGER = (
    ("source_file", "varchar"),
    ("entity", "varchar"),
    ("size_bytes", "bigint"),
    ("checksum", "varchar"),
    ("rows_in", "bigint"),
    ("rows_loaded", "bigint"),
    ("rows_quarantined", "bigint"),
    ("run_id", "varchar"),
    ("loaded_at", "timestamp"),
)


def ensure_raw_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Every contract entity gets its raw table, so dbt sources resolve before any file arrives."""
    con.execute("create schema if not exists raw")
    for entity in ENTITIES.values():
        con.execute(
            f"create table if not exists raw.{ident(entity.name)} ({columns_ddl(entity_columns(entity))})"
        )
    _upgrade_do_not_contact(con)
    _add_new_columns(con)
    # written by pipelines/forget; here so the dbt source exists before anyone is erased
    con.execute(ERASED_ROWS)
    con.execute(f"create table if not exists raw._quarantine ({columns_ddl(QUARANTINE)}, run_id varchar)")
    con.execute(f"create table if not exists raw._load_ledger ({columns_ddl(LEDGER)})")
    con.execute(f"create table if not exists raw._withheld_opt_outs ({columns_ddl(OPT_OUTS)})")


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """A contract column added since the table was made (customers.postal_code) is appended."""
    found = {
        (t, c)
        for t, c in con.execute(
            "select table_name, column_name from information_schema.columns where table_schema = 'raw'"
        ).fetchall()
    }
    for entity in ENTITIES.values():
        for column in entity.columns:
            if (entity.name, column.name) not in found:
                table = f"raw.{ident(entity.name)}"
                con.execute(f"alter table {table} add column {ident(column.name)} {column.type}")


def _upgrade_do_not_contact(con: duckdb.DuckDBPyConnection) -> None:
    """Warehouses from before issue 11: add the phone column, keep dates as written (text)."""
    for entity in ENTITIES.values():
        if not entity.identifiers:
            continue
        table = f"raw.{ident(entity.name)}"
        found = dict(
            con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'raw' and table_name = ?",
                [entity.name],
            ).fetchall()
        )
        for column in entity.columns:
            if column.name not in found:
                con.execute(f"alter table {table} add column {ident(column.name)} varchar")
            elif found[column.name] != "VARCHAR":
                con.execute(f"alter table {table} alter column {ident(column.name)} type varchar")
