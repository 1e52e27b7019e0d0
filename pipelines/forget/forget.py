"""The run that sees an erasure removes the person from everything rapport keeps.

Order: the warehouse (set-based deletes and anonymisation, the keyed hashes that let the
next export sweep its earlier folders, the per-file count of raw rows erased), then a
rewrite of the DuckDB file so no deleted byte survives in a free block, then every other
file under RAPPORT_HOME. Exports (pipelines/export/erasure.py) and serving versions
(pipelines/serve/forget.py) have their own rules. A run with nobody to erase costs one
query. The landing folder is never touched: it is the user's drop zone (DECISIONLOG).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipelines.export.erased import remember_tokens
from pipelines.forget.files import forget_in_files
from pipelines.forget.rewrite import rewrite
from pipelines.forget.tokens import Tokens, erased_tokens
from pipelines.forget.warehouse import forget_in_warehouse
from pipelines.load.schema import ERASED_ROWS
from pipelines.settings import Settings
from pipelines.warehouse import exclusive, table_exists


@dataclass(frozen=True)
class Forgotten:
    people: int = 0
    cells: int = 0
    rewrite_seconds: float = 0.0
    warehouse_bytes: int = 0
    files: list[Path] = field(default_factory=list)

    def lines(self) -> list[str]:
        if not self.people:
            return ["forget: nobody to erase"]
        return [
            f"forget: {self.people} erased account(s): {self.cells} warehouse rows deleted or anonymised,"
            f" warehouse rewritten ({self.warehouse_bytes / 1e6:.1f} MB) in {self.rewrite_seconds:.1f} s,"
            f" {len(self.files)} other file(s) redacted"
        ]


def _count_erased(con: duckdb.DuckDBPyConnection, tokens: Tokens, run_id: str) -> None:
    """Per raw table and file, the rows of the erased: deleted from raw.customers (which then
    holds loaded minus these), anonymised elsewhere (still counted as loaded; the staging
    not-null test on orders.customer_id skips those files)."""
    con.execute(ERASED_ROWS)
    tables = con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw'"
        " and column_name in ('customer_id', '_source_file') and table_name not like '\\_%' escape '\\'"
        " and table_name != 'erasures' group by table_name having count(*) = 2 order by 1"
    ).fetchall()
    for (table,) in tables:
        con.execute(
            f'insert into raw._erased_rows select $run, $t, _source_file, count(*) from raw."{table}"'
            " where rapport_id_key(customer_id) in (select unnest($ids::varchar[])) group by _source_file",
            {"run": run_id, "t": table, "ids": sorted(tokens.ids)},
        )


def _ledger_forgot(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    if not table_exists(con, "exports", "forgotten"):
        return False
    rows = con.execute("select coalesce(sum(rows), 0) from exports.forgotten where run_id = ?", [run_id])
    return bool(rows.fetchall()[0][0])


def forget_erased(settings: Settings, run_id: str) -> Forgotten:
    """Remove everyone the erasure list names from the warehouse and every file under home."""
    warehouse = settings.warehouse_path
    if not warehouse.exists():
        return Forgotten()
    with exclusive(warehouse):
        con = duckdb.connect(str(warehouse))
        try:
            tokens = erased_tokens(con)
            if not tokens:
                forgot = _ledger_forgot(con, run_id)
                con.close()
                if forgot:  # the export ledger dropped an erasure day's baseline: no free block keeps it
                    rewrite(warehouse)
                return Forgotten()
            people = con.execute("select count(*) from intermediate.int_customers_erased").fetchall()[0][0]
            _count_erased(con, tokens, run_id)
            remember_tokens(con, tokens.all())
            cells = forget_in_warehouse(con, tokens)
        finally:
            con.close()
        started = time.monotonic()
        rewrite(warehouse)
        seconds = time.monotonic() - started
    skip = [settings.landing, warehouse, settings.export_dir, settings.serving_dir / "versions"]
    files = forget_in_files(settings.home, tokens, [p.resolve() for p in skip])
    return Forgotten(people, cells, seconds, warehouse.stat().st_size, files)
