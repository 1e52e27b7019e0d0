"""What the last forget already swept, so a run looks for each form only where it can be new.

After a forget run, no raw row of a loaded file holds a form of anyone that run looked for.
Kept for the next run (written in the sweep's own transaction, so a failed sweep records
nothing), never an identifier in plain:
- `raw._forget_tokens`: the keyed hash (HMAC with the erasure key, pipelines/export/erased.py)
  of each form the run looked for, with its kind (an id is matched whole, case kept);
- `raw._forget_files`: the load ledger's rows (file, checksum, load time) whose raw rows it
  searched; a file reloaded since (commit deletes its rows and writes a new ledger row) is new.
- `raw._forget_pending`: a warehouse rewrite owed, with the as-of date of the run that owed it
  (set with the sweep, cleared after the rewrite), so a rewrite that fails or waits
  (RAPPORT_FORGET_PURGE_DAYS) is done by a later run even if nothing new is found.
A form looked for last run ("old") is searched only in raw rows of files loaded since and in
every table outside raw (dbt rebuilds those from raw, exports and quality results append to
them: no high-water mark to trust); a new form is searched everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import polars as pl

from pipelines.export.erased import install_hmac
from pipelines.forget.tokens import Tokens
from pipelines.warehouse import table_exists

TOKENS = "raw._forget_tokens"
FILES = "raw._forget_files"
PENDING = "raw._forget_pending"
TABLES = {("raw", "_forget_tokens"), ("raw", "_forget_files"), ("raw", "_forget_pending")}
DDL = (
    f"create table if not exists {TOKENS} (kind varchar, digest varchar);"
    f" create table if not exists {FILES} (source_file varchar, checksum varchar, loaded_at timestamp);"
    f" create table if not exists {PENDING} (run_id varchar, as_of date);"
    # a warehouse of before the purge window: its owed rewrites (as_of null) are due at once
    f" alter table {PENDING} add column if not exists as_of date"
)
# the raw rows a previous run searched: their file's ledger row is the one it saw
OLD_FILES = f"""
select distinct l.source_file from raw._load_ledger l
join {FILES} s on s.source_file = l.source_file and s.checksum = l.checksum and s.loaded_at = l.loaded_at
where l.source_file is not null
"""


def _kinds(tokens: Tokens) -> pl.DataFrame:
    rows = [("id", t) for t in tokens.ids] + [("text", t) for t in tokens.texts]
    rows += [("hash", t) for t in tokens.hashes]
    return pl.DataFrame(rows, schema={"kind": pl.String, "token": pl.String}, orient="row")


def split(con: duckdb.DuckDBPyConnection, tokens: Tokens) -> tuple[Tokens, Tokens]:
    """(old, new): the forms the last run looked for, and the others (writer connection)."""
    con.execute(DDL)
    install_hmac(con)
    con.register("_forget_now", _kinds(tokens).to_arrow())
    try:
        rows = con.execute(
            "select n.kind, n.token, s.digest is not null from _forget_now n"
            f" left join (select distinct kind, digest from {TOKENS}) s"
            " on s.kind = n.kind and s.digest = rapport_hmac(n.kind || ':' || n.token)"
        ).fetchall()
    finally:
        con.unregister("_forget_now")
    found: dict[bool, dict[str, set[str]]] = {
        b: {"id": set(), "text": set(), "hash": set()} for b in (True, False)
    }
    for kind, token, old in rows:
        found[old][kind].add(token)
    old, new = (Tokens(*(frozenset(found[b][k]) for k in ("id", "text", "hash"))) for b in (True, False))
    return old, new


def old_files(con: duckdb.DuckDBPyConnection) -> str:
    """Register the files whose raw rows a previous run searched; returns the relation's name."""
    names = (
        [f for (f,) in con.execute(OLD_FILES).fetchall()] if table_exists(con, "raw", "_load_ledger") else []
    )
    frame = pl.DataFrame({"source_file": names}, schema={"source_file": pl.String})
    con.register("_forget_old_files", frame.to_arrow())
    return "_forget_old_files"


def new_rows(file_column: str) -> str:
    """SQL: a raw row of a file loaded since the last run (or of no file)."""
    return f'("{file_column}" is null or "{file_column}" not in (select source_file from _forget_old_files))'


def record(
    con: duckdb.DuckDBPyConnection, tokens: Tokens, run_id: str, changed: bool, as_of: date | None = None
) -> None:
    """What this run looked for and where (inside the sweep's transaction)."""
    con.register("_forget_now", _kinds(tokens).to_arrow())
    try:
        con.execute(f"delete from {TOKENS}")
        con.execute(
            f"insert into {TOKENS} select distinct kind, rapport_hmac(kind || ':' || token) from _forget_now"
        )
    finally:
        con.unregister("_forget_now")
    con.execute(f"delete from {FILES}")
    if table_exists(con, "raw", "_load_ledger"):
        con.execute(f"insert into {FILES} select source_file, checksum, loaded_at from raw._load_ledger")
    if changed:
        owe(con, run_id, as_of)


def owe(con: duckdb.DuckDBPyConnection, run_id: str, as_of: date | None) -> None:
    """This run owes a rewrite (a run without an as-of date owes it at once)."""
    con.execute(DDL)
    con.execute(f"insert into {PENDING} values (?, ?)", [run_id, as_of])


def due(con: duckdb.DuckDBPyConnection, as_of: date | None, days: int) -> date | None:
    """The as-of date by which the owed rewrite must be done; None when nothing is owed. The
    oldest debt sets it; one owed before the window existed (no as_of column) is due at once."""
    if not table_exists(con, "raw", "_forget_pending"):
        return None
    dated = con.execute(
        "select count(*) from information_schema.columns"
        " where table_schema = 'raw' and table_name = '_forget_pending' and column_name = 'as_of'"
    ).fetchall()[0][0]
    since = "coalesce(as_of, date '0001-01-01')" if dated else "date '0001-01-01'"
    oldest, owed = con.execute(f"select min({since}), count(*) from {PENDING}").fetchall()[0]
    return oldest + timedelta(days=days) if owed else None


def paid(con: duckdb.DuckDBPyConnection) -> None:
    """The rewrite is done (on the rewritten file)."""
    if table_exists(con, "raw", "_forget_pending"):
        con.execute(f"delete from {PENDING}")
