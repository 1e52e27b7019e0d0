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
import polars as pl

from pipelines.export.audience import Blocklist
from pipelines.export.erased import remember, remember_tokens
from pipelines.forget.files import forget_in_files
from pipelines.forget.match import id_key_in
from pipelines.forget.rewrite import rewrite
from pipelines.forget.swept import new_rows, old_files, paid, pending, record, split
from pipelines.forget.tokens import Tokens, erased_tokens
from pipelines.forget.warehouse import forget_in_warehouse
from pipelines.load.schema import ERASED_ROWS
from pipelines.settings import Settings
from pipelines.warehouse import exclusive, table_exists


@dataclass(frozen=True)
class Forgotten:
    people: int = 0
    cells: int = 0
    rewrite_seconds: float | None = None  # None: nothing deleted, no rewrite
    warehouse_bytes: int = 0
    files: list[Path] = field(default_factory=list)
    new_forms: int = 0  # forms not looked for by the last run, so looked for in every row

    def lines(self) -> list[str]:
        if not self.people:
            return ["forget: nobody to erase"]
        rewritten = (
            f"warehouse rewritten ({self.warehouse_bytes / 1e6:.1f} MB) in {self.rewrite_seconds:.1f} s"
            if self.rewrite_seconds is not None
            else "nothing found, no rewrite"
        )
        return [
            f"forget: {self.people} erased account(s), {self.new_forms} new form(s): {self.cells} warehouse"
            f" rows deleted or anonymised, {rewritten}, {len(self.files)} other file(s) redacted"
        ]


def _count_erased(con: duckdb.DuckDBPyConnection, old: Tokens, new: Tokens, run_id: str) -> None:
    """Per raw table and file, the rows of the erased: deleted from raw.customers (which then
    holds loaded minus these), anonymised elsewhere (still counted as loaded; the staging
    not-null test on orders.customer_id skips those files). An old id can only be in rows of
    files loaded since the last run (swept.py): every earlier row of theirs lost its id."""
    con.execute(ERASED_ROWS)
    tables = con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw'"
        " and column_name in ('customer_id', '_source_file') and table_name not like '\\_%' escape '\\'"
        " and table_name != 'erasures' group by table_name having count(*) = 2 order by 1"
    ).fetchall()
    for name, ids in (("_forget_new_ids", new.ids), ("_forget_old_ids", old.ids)):
        con.register(name, pl.DataFrame({"token": sorted(ids)}, schema={"token": pl.String}).to_arrow())
    try:
        for (table,) in tables:
            found = f"{id_key_in('customer_id', '_forget_new_ids')}"
            found += f" or ({new_rows('_source_file')} and {id_key_in('customer_id', '_forget_old_ids')})"
            con.execute(
                f'insert into raw._erased_rows select $run, $t, _source_file, count(*) from raw."{table}"'
                f" where {found} group by _source_file",
                {"run": run_id, "t": table},
            )
    finally:
        con.unregister("_forget_new_ids")
        con.unregister("_forget_old_ids")


def _remember_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Keyed hashes of every erased account's ids, email key and phone key (exports.erased), in
    the transaction that deletes their customers rows: from then on int_customers_erased can
    only recognise a later row of theirs under another form (their old id on an order, a new
    account with their email or phone) by these. Only people a request names: one reached through
    a remembered key (a phone they share with the requester) is erased, but remembering their
    keys too spread the erasure a hop a day through shared phones (DECISIONLOG, stop 18)."""
    con.execute("create schema if not exists exports")  # no export may have run yet
    found: dict[str, set[str]] = {"id": set(), "email": set(), "phone": set()}
    for kind, key in con.execute(
        "select distinct unnest(['id', 'id', 'email', 'phone']),"
        " unnest([source_customer_id, customer_id, email_key, phone_key])"
        " from intermediate.int_customers_erased where named_by_request"
    ).fetchall():
        if key is not None:
            found[kind].add(key)
    remember(con, Blocklist(*(frozenset(found[k]) for k in ("id", "email", "phone"))))


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
            cap = settings.forget_memory_limit
            con.execute(f"set memory_limit = '{cap}'")  # validated pattern
            con.execute("set enable_progress_bar = false")  # a progress bar is noise in task logs
            tokens = erased_tokens(con)
            if not tokens:
                # the export ledger dropped an erasure day's baseline, or a rewrite failed: no free
                # block may keep it
                owed = pending(con) or _ledger_forgot(con, run_id)
                con.close()
                if owed:
                    _rewrite(warehouse, cap)
                return Forgotten()
            people = con.execute("select count(*) from intermediate.int_customers_erased").fetchall()[0][0]
            con.execute("begin transaction")
            old, new = split(con, tokens)
            old_files(con)
            _count_erased(con, old, new, run_id)
            _remember_keys(con)
            remember_tokens(con, tokens.all())
            cells = forget_in_warehouse(con, old, new)
            owed = bool(cells) or pending(con) or _ledger_forgot(con, run_id)
            record(con, tokens, run_id, owed)
            con.execute("commit")
            con.unregister("_forget_old_files")
        finally:
            con.close()
        started = time.monotonic()
        if owed:  # deleted or overwritten bytes are in the file's free blocks
            _rewrite(warehouse, cap)
        seconds = time.monotonic() - started
    skip = [settings.landing, warehouse, settings.export_dir, settings.serving_dir / "versions"]
    files = forget_in_files(settings.home, tokens, [p.resolve() for p in skip])
    fresh = len(new.all())
    return Forgotten(people, cells, seconds if owed else None, warehouse.stat().st_size, files, fresh)


def _rewrite(warehouse: Path, memory_limit: str) -> None:
    rewrite(warehouse, memory_limit)
    with duckdb.connect(str(warehouse)) as con:
        paid(con)
