"""Stage one entity's new files a chunk of files at a time, so staging's memory is a chunk's.

The untyped text, `_checked` (text and typed values side by side) and the key verdicts of a
whole entity did not fit the stage's DuckDB cap at 1M customers (3.3 GiB at the 3GB cap) and
spilled at 3M (9.7x the 1M time for 3x the rows). Every rule but two looks at one file at a
time (formats, row rules, in-file duplicates, orphans against the staged customers), so the
files are staged in chunks, in path order, each file whole in one chunk, and the result is the
one a single pass over all of them gives. The two batch-wide rules carry state across chunks:
a key an earlier file of the batch brought (events; keys.py's `earlier` table) and the share of
the amount the quarantine takes (value_loss.py, decided once every chunk is tallied).

Each chunk ends its transaction: DuckDB keeps a table dropped or replaced in a transaction, and
the old values an update overwrote, until the transaction ends, so one transaction over the
batch held every chunk's scratch tables (at 100k customers 0.9 GiB for 0.13 GB of landing data;
at 10M the stage failed under its cap after spilling 17 GB). A chunk's scratch is dropped before
its commit, so the next chunk does not hold it either. Nothing is committable before stage.py's
last transaction creates the batch's `_files` and `_batch` (schema.create_batch).
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.config import EntityFormat
from pipelines.load.formats import normalise_formats
from pipelines.load.header import Layout
from pipelines.load.read import read_group
from pipelines.load.rules import apply_rules
from pipelines.load.schema import ident, raw_varchar_columns, untyped
from pipelines.load.value_loss import check_value_loss, tally_value_loss

_EARLIER = "_keys_earlier_chunks"


def _chunks(layouts: list[Layout], chunk_bytes: int) -> list[list[Layout]]:
    """Files in path order (the order duplicates across files are judged in), cut into runs of
    at most `chunk_bytes` of landing data; a larger file is a chunk of its own."""
    chunks: list[list[Layout]] = [[]]
    size = 0
    for layout in sorted(layouts, key=lambda x: x.file.source_file):
        if chunks[-1] and size + layout.file.size_bytes > chunk_bytes:
            chunks.append([])
            size = 0
        chunks[-1].append(layout)
        size += layout.file.size_bytes
    return chunks


def _groups(chunk: list[Layout]) -> list[list[Layout]]:
    """Same-header, same-dialect files of a chunk: one DuckDB scan each."""
    groups: dict[tuple[object, ...], list[Layout]] = {}
    for layout in chunk:
        groups.setdefault(layout.group_key, []).append(layout)
    return list(groups.values())


def _fresh_untyped(con: duckdb.DuckDBPyConnection, entity: str) -> None:
    columns = ", ".join(f"{ident(n)} {t}" for n, t in raw_varchar_columns(ENTITIES[entity]))
    con.execute(f"drop table if exists {untyped(entity)}; drop table if exists _checked")
    con.execute(f"create temp table {untyped(entity)} ({columns})")
    con.execute("delete from _line_breaks where entity = $e", {"e": entity})


def stage_entity(
    con: duckdb.DuckDBPyConnection,
    layouts: list[Layout],
    fmt: EntityFormat | None,
    as_of: date,
    check_orphans: bool,
    max_lost_share: float,
    chunk_bytes: int,
    known: tuple[str, str] | None = None,
) -> tuple[dict[str, int], list[str], list[str]]:
    """Stage one entity's files (all of one entity) into incoming.<entity> and the quarantine:
    rows in per source file, files numbered by record (lines.py), formats detected per file.
    `known`: the customers an orphan check reads (known.py), else orphans.known_customers()."""
    entity = layouts[0].file.entity
    chunks = _chunks(layouts, chunk_bytes)
    earlier = _EARLIER if len(chunks) > 1 else None
    rows_in: dict[str, int] = {}
    approximate: list[str] = []
    detected: list[str] = []
    for chunk in chunks:
        _fresh_untyped(con, entity)
        for group in _groups(chunk):
            counted, approx = read_group(con, group)
            rows_in.update(counted)
            approximate += approx
        detected += [n for n in normalise_formats(con, entity, fmt) if n not in detected]
        apply_rules(con, entity, as_of, check_orphans, earlier, known)
        tally_value_loss(con, entity)
        # a table dropped in a transaction (the chunk's untyped text, `_checked`) and the old values
        # of an update are kept until the transaction ends: one transaction held every chunk's
        con.execute(f"drop table {untyped(entity)}; drop table if exists _checked")
        con.execute("commit")
        con.execute("begin transaction")
    check_value_loss(con, entity, max_lost_share)
    con.execute(f"drop table if exists {_EARLIER}")
    return rows_in, approximate, detected
