"""Which landing files are new or changed since they were last committed."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.load.discover import LandingFile
from pipelines.warehouse import table_exists


@dataclass(frozen=True)
class Plan:
    todo: tuple[LandingFile, ...]  # new or changed: to stage
    unchanged: tuple[LandingFile, ...]  # same path, size and checksum as in the ledger
    customers_seen: bool  # a customers file was committed before or is in this batch


def plan(con: duckdb.DuckDBPyConnection, files: tuple[LandingFile, ...]) -> Plan:
    ledger: dict[str, tuple[int, str]] = {}
    seen_entities: set[str] = set()
    if table_exists(con, "raw", "_load_ledger"):
        for source_file, entity, size, checksum in con.execute(
            "select source_file, entity, size_bytes, checksum from raw._load_ledger"
        ).fetchall():
            ledger[source_file] = (size, checksum)
            seen_entities.add(entity)
    todo = tuple(f for f in files if ledger.get(f.source_file) != (f.size_bytes, f.checksum))
    staged = {f.source_file for f in todo}
    unchanged = tuple(f for f in files if f.source_file not in staged)
    customers_seen = "customers" in seen_entities or any(f.entity == "customers" for f in todo)
    return Plan(todo, unchanged, customers_seen)
