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
from datetime import date
from pathlib import Path

import duckdb

from pipelines.export.audience import Blocklist
from pipelines.export.erased import remember, remember_tokens
from pipelines.forget.counted import count_erased
from pipelines.forget.files import forget_in_files
from pipelines.forget.rewrite import rewrite
from pipelines.forget.swept import due, old_files, owe, paid, record, split
from pipelines.forget.tokens import erased_tokens
from pipelines.forget.warehouse import forget_in_warehouse
from pipelines.settings import Settings
from pipelines.warehouse import exclusive, table_exists


@dataclass(frozen=True)
class Forgotten:
    people: int = 0
    cells: int = 0
    rewrite_seconds: float | None = None  # None: nothing deleted, or the rewrite waits
    purge_by: date | None = None  # the as-of date by which a waiting rewrite is done
    warehouse_bytes: int = 0
    files: list[Path] = field(default_factory=list)
    new_forms: int = 0  # forms not looked for by the last run, so looked for in every row

    def lines(self) -> list[str]:
        rewritten = (
            f"warehouse rewritten ({self.warehouse_bytes / 1e6:.1f} MB) in {self.rewrite_seconds:.1f} s"
            if self.rewrite_seconds is not None
            else f"warehouse rewrite waits until {self.purge_by} (RAPPORT_FORGET_PURGE_DAYS)"
            if self.purge_by is not None
            else "nothing found, no rewrite"
        )
        if not self.people:  # an owed rewrite made now is not news; one that waits is
            waits = f"; an earlier run's {rewritten}" if self.purge_by is not None else ""
            return ["forget: nobody to erase" + waits]
        return [
            f"forget: {self.people} erased account(s), {self.new_forms} new form(s): {self.cells} warehouse"
            f" rows deleted or anonymised, {rewritten}, {len(self.files)} other file(s) redacted"
        ]


def _remember_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Keyed hashes of every erased account's ids, email key and phone key (exports.erased), in
    the transaction that deletes their customers rows: from then on int_customers_erased can
    only recognise a later row of theirs under another form (their old id on an order, a new
    account with their email or phone) by these. The emails and phones only of people a request
    names: one reached through a shared key is erased, but remembering their email or phone too
    spread the erasure a hop a day (DECISIONLOG, stop 18). Every erased account's ids, though: an
    id names that account alone, and its later orders then load and are anonymised (keys.py)."""
    con.execute("create schema if not exists exports")  # no export may have run yet
    found: dict[str, set[str]] = {"id": set(), "email": set(), "phone": set()}
    for kind, key in con.execute(
        "select distinct unnest(['id', 'id', 'email', 'phone']), unnest([source_customer_id, customer_id,"
        " case when named_by_request then email_key end, case when named_by_request then phone_key end])"
        " from intermediate.int_customers_erased"
    ).fetchall():
        if key is not None:
            found[kind].add(key)
    remember(con, Blocklist(*(frozenset(found[k]) for k in ("id", "email", "phone"))))


def _ledger_forgot(con: duckdb.DuckDBPyConnection, run_id: str) -> bool:
    if not table_exists(con, "exports", "forgotten"):
        return False
    rows = con.execute("select coalesce(sum(rows), 0) from exports.forgotten where run_id = ?", [run_id])
    return bool(rows.fetchall()[0][0])


def forget_erased(settings: Settings, run_id: str, as_of: date | None = None) -> Forgotten:
    """Remove everyone the erasure list names from the warehouse and every file under home; the
    warehouse file's rewrite may wait settings.forget_purge_days after `as_of` (none: not)."""
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
                # the export ledger dropped an erasure day's baseline, or a rewrite failed or
                # waits: no free block may keep it past its day
                if _ledger_forgot(con, run_id):
                    owe(con, run_id, as_of)
                by = due(con, as_of, settings.forget_purge_days)
                con.close()
                seconds, waits = _settle(warehouse, cap, by, as_of, settings.forget_purge_days)
                return Forgotten(
                    rewrite_seconds=seconds, purge_by=waits, warehouse_bytes=warehouse.stat().st_size
                )
            people = con.execute("select count(*) from intermediate.int_customers_erased").fetchall()[0][0]
            con.execute("begin transaction")
            old, new = split(con, tokens)
            old_files(con)
            count_erased(con, old, new, run_id)
            _remember_keys(con)
            remember_tokens(con, tokens.all())
            cells = forget_in_warehouse(con, old, new)
            record(con, tokens, run_id, bool(cells) or _ledger_forgot(con, run_id), as_of)
            by = due(con, as_of, settings.forget_purge_days)
            con.execute("commit")
            con.unregister("_forget_old_files")
        finally:
            con.close()
        seconds, waits = _settle(warehouse, cap, by, as_of, settings.forget_purge_days)
    skip = [settings.landing, warehouse, settings.export_dir, settings.serving_dir / "versions"]
    files = forget_in_files(settings.home, tokens, [p.resolve() for p in skip])
    fresh = len(new.all())
    return Forgotten(people, cells, seconds, waits, warehouse.stat().st_size, files, fresh)


def _settle(
    warehouse: Path, memory_limit: str, by: date | None, as_of: date | None, days: int
) -> tuple[float | None, date | None]:
    """Rewrite the file if a rewrite is owed and its day has come (at once without a window or
    an as-of date): (its seconds, None); else (None, the day it waits for, if any)."""
    if by is None:
        return None, None
    if days and as_of is not None and by > as_of:
        return None, by
    started = time.monotonic()
    rewrite(warehouse, memory_limit)  # deleted or overwritten bytes are in the file's free blocks
    with duckdb.connect(str(warehouse)) as con:
        paid(con)
    return time.monotonic() - started, None
