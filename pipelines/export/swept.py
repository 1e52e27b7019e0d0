"""What each earlier day folder was last swept against, so an unchanged folder is not read again.

The sweep (erasure.py) reads every file of every earlier folder; a folder already swept
against the same erasures, and unchanged since, has nothing left to remove. The ledger
keeps, per folder, its state when last swept (a checksum of its manifest, which lists every
file's checksum, and of each data file's size and mtime, so a rerun of that day, a restored
backup or a replaced file all count as changed) and a keyed fingerprint (HMAC, see
erased.py) of the tokens and remembered digests it was swept against: never the erased
people's identifiers, nor anything that can be tested against a guess without the key.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import polars as pl

from pipelines.export.erased import install_hmac
from pipelines.export.manifest import MANIFEST

DDL = "create table if not exists exports.swept (day varchar primary key, state varchar, against varchar)"
VERSION = "sweep-v1"  # a change to what a sweep matches must invalidate every record


def data_files(day: Path) -> list[Path]:
    return sorted([*day.glob("*/*.csv"), *day.glob("*/*.parquet")])


def folder_state(day: Path) -> str:
    """SHA-256 of the manifest's bytes and of each data file's name, size and mtime (no data read)."""
    digest = hashlib.sha256((day / MANIFEST).read_bytes())
    for path in data_files(day):
        stat = path.stat()
        digest.update(f"\n{path.relative_to(day).as_posix()}\t{stat.st_size}\t{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def fingerprint(forbidden: frozenset[str], digests: frozenset[str]) -> str:
    """Keyed hash of the whole set the sweep matches against (computed in DuckDB)."""
    con = duckdb.connect()
    try:
        install_hmac(con)
        items = [VERSION, *sorted(f"f:{t}" for t in forbidden), *sorted(f"d:{d}" for d in digests)]
        con.register("_items", pl.DataFrame({"i": items}, schema={"i": pl.String}).to_arrow())
        ((found,),) = con.execute(
            "select rapport_hmac(string_agg(i, chr(10) order by i)) from _items"
        ).fetchall()
    finally:
        con.close()
    return str(found)


def last_swept(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """day -> (folder state, fingerprint) of every folder's last sweep (writer connection)."""
    con.execute(DDL)
    return {
        day: (state, against) for day, state, against in con.execute("select * from exports.swept").fetchall()
    }


def record_swept(con: duckdb.DuckDBPyConnection, day: str, state: str, against: str) -> None:
    """Record a folder's sweep, after its rewritten files and manifest are in place."""
    con.execute("insert or replace into exports.swept values (?, ?, ?)", [day, state, against])
