"""Phase 1 of a load: read new and changed landing files into schema `incoming`."""

from __future__ import annotations

from contextlib import suppress
from datetime import date, timedelta
from pathlib import Path

import duckdb

from pipelines.contract import DO_NOT_CONTACT, ENTITIES
from pipelines.load import schema
from pipelines.load.checksums import discover_remembering
from pipelines.load.collapse import check_collapse
from pipelines.load.config import LandingConfig
from pipelines.load.discover import LandingFile
from pipelines.load.entity import stage_entity
from pipelines.load.errors import BatchRejected
from pipelines.load.files_ledger import record_files
from pipelines.load.guard import refuse_foreign_batch
from pipelines.load.header import Layout, inspect
from pipelines.load.known import IDS, LINES, remember_known_customers
from pipelines.load.ledger import plan
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.report import EntityCounts, StageReport
from pipelines.load.schema import drop_untyped, untyped
from pipelines.load.unreadable import unreadable_to_quarantine
from pipelines.settings import get_settings
from pipelines.warehouse import connect

# customers first: the orphan check of the other entities looks at the staged customers
_ORDER = ["customers", *(name for name in ENTITIES if name != "customers")]


def _inspect_all(
    con: duckdb.DuckDBPyConnection, files: tuple[LandingFile, ...], config: LandingConfig
) -> tuple[list[Layout], list[tuple[LandingFile, BatchRejected]]]:
    """Layouts of readable files; an unreadable do-not-contact file is set aside (it blocks
    the export, see unreadable_to_quarantine), any other unreadable file rejects the batch."""
    layouts, unreadable = [], []
    for f in files:
        try:
            layouts.append(inspect(con, f, config.of(f.entity)))
        except BatchRejected as e:
            if f.entity not in DO_NOT_CONTACT:
                raise
            unreadable.append((f, e))
    return layouts, unreadable


def stage_landing(
    landing: Path,
    warehouse: Path,
    as_of: date,
    run_id: str,
    abandon_after: timedelta = timedelta(hours=2),
    config: LandingConfig | None = None,
    max_lost_share: float = 1.0,
    chunk_bytes: int | None = None,
) -> StageReport:
    """Stage every new or changed landing file; raises BatchRejected and stages nothing if a
    file cannot be read as a table of its entity or its quarantine carries more than
    `max_lost_share` of its amount; RunOverlap if another run's batch waits. An entity's files
    are staged `chunk_bytes` at a time (default: the setting RAPPORT_STAGE_CHUNK_BYTES)."""
    config = config or LandingConfig()
    chunk = chunk_bytes or get_settings().stage_chunk_bytes
    if not landing.is_dir():  # before the warehouse is opened (and so created)
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    with connect(warehouse) as con:
        refuse_foreign_batch(con, run_id, as_of, abandon_after)
        # under the warehouse's lock: it writes the checksums it keeps beside the warehouse
        found = discover_remembering(
            warehouse, landing, {e: f.files for e, f in config.entities.items() if f.files}
        )
        con.execute("set TimeZone = 'UTC'")  # contract: timestamps without an offset are UTC
        con.execute(f"set memory_limit = '{get_settings().stage_memory_limit}'")  # validated pattern
        con.execute("set preserve_insertion_order = true")  # lines.py pairs rows by scan order
        # a rejected batch must not leave an older staged batch behind to be committed
        con.execute("drop schema if exists incoming cascade")
        todo = plan(con, found.files)
        layouts, unreadable = _inspect_all(con, todo.todo, config)
        rows_in: dict[str, int] = {}
        approximate: list[str] = []
        detected: list[str] = []
        con.execute("begin transaction")
        try:
            ensure_raw_tables(con)  # key rules look at what earlier runs committed
            schema.create_staging(con)  # committed a chunk at a time (entity.py), not committable
            con.execute("create or replace temp table _customer_ids_seen (customer_id varchar)")
            con.execute(
                "create or replace temp table _batch_files as select unnest($f::varchar[]) as source_file",
                {"f": [x.file.source_file for x in layouts]},
            )
            known = None
            for entity in _ORDER:
                mine = [x for x in layouts if x.file.entity == entity]
                if mine and entity != "customers" and known is None and todo.customers_seen:
                    known = remember_known_customers(con)  # customers are staged: fixed from here on
                if mine:
                    counted, approx, found_formats = stage_entity(
                        con, mine, config.of(entity), as_of, todo.customers_seen, max_lost_share, chunk, known
                    )
                    rows_in.update(counted)
                    approximate += approx
                    detected += found_formats
                con.execute(f"drop table if exists {untyped(entity)}")  # memory
            rows_in.update(unreadable_to_quarantine(con, unreadable))
            drop_untyped(con)
            con.execute("drop table _customer_ids_seen; drop table _batch_files")
            con.execute(f"drop table if exists {IDS}; drop table if exists {LINES}")
            check_collapse(con, rows_in)
            schema.create_batch(con, run_id, as_of)  # in the last transaction: the batch is whole
            record_files(con, [x.file for x in layouts] + [f for f, _ in unreadable], rows_in)
            counts = EntityCounts.of_batch(con)
            con.execute("commit")
        except BaseException:
            with suppress(duckdb.TransactionException):  # none is open if a chunk's commit failed
                con.execute("rollback")
            con.execute("drop schema if exists incoming cascade")  # earlier chunks were committed
            raise
    return StageReport(
        entities=counts,
        run_id=run_id,
        as_of=as_of,
        skipped=tuple(f.source_file for f in todo.unchanged),
        ignored=found.ignored,
        extra_columns=tuple((x.file.source_file, c) for x in layouts for c in x.extra),
        approximate_lines=tuple(approximate),
        detected=tuple(detected),
    )
