"""The untyped rows of one entity with their physical line numbers, as SQL.

A CSV scan goes straight into the untyped table with no line (read_csv.py); its rows sit in
file order, so a row's line is its rowid plus a base that only changes at a file's start and at
its breakpoints (`_line_breaks`: rejected records, blank lines, multi-line fields before it).
Most files have one breakpoint: their rows get the line by a hash join on the file. Only the
rows of files with more go through an ASOF join, which sorts what it joins. Parquet rows
carry their line from the read.
"""

from __future__ import annotations

from pipelines.contract import ENTITIES
from pipelines.load.schema import ident, raw_varchar_columns, untyped


def numbered_rows(entity: str) -> str:
    """SQL of `untyped(entity)`'s rows, every column as it is and `_source_line` filled in."""
    names = [name for name, _ in raw_varchar_columns(ENTITIES[entity]) if name != "_source_line"]
    cols = ", ".join(f"t.{ident(n)}" for n in names)
    rows = f"(select rowid as _rid, * from {untyped(entity)})"
    breaks = f"(select * from _line_breaks where entity = '{entity}')"
    many = f"(select source_file from {breaks} group by all having count(*) > 1)"
    return (
        f"select {cols}, coalesce(t._source_line, t._rid + b.base) as _source_line from {rows} t"
        f" left join (select source_file, any_value(base) as base from {breaks} group by all"
        " having count(*) = 1) b on b.source_file = t._source_file"
        " where t._source_line is not null or b.base is not null"
        f" union all select {cols}, t._rid + b.base from (select * from {rows}"
        f" where _source_line is null and _source_file in {many}) t"
        f" asof join {breaks} b on b.source_file = t._source_file and t._rid >= b.from_rowid"
    )
