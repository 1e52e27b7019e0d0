"""Erased people leave every table of the warehouse, set-based in DuckDB.

Tables that are about people (`PEOPLE_TABLES`) lose the erased person's rows: the rows of their
accounts (the column naming a row's account holds one of their ids), or, in a cache keyed by a
written value, every row holding one of their forms. Every other row, in those tables too (someone
not erased who shares their phone keeps the account, without that phone), keeps its place and
loses the identifying cells (set to NULL): an order, an interaction,
a quarantined cell stays counted, so rows in = loaded + quarantined and the revenue
reconciliations still hold; the money becomes anonymous revenue, as in the marts. The
erasure list itself (`raw.erasures`) is the one thing kept: it is what keeps them out.
A cell is theirs when it is one of their ids (whitespace trimmed), or contains, in any
case, one of their emails or phones in a written form or hash (tokens.py: the forms are
computed through the identity rule from what they wrote), e.g. inside a JSON record, at a
boundary of its kind (bounds.py: not inside a longer address, number or word).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.forget.ids import is_id
from pipelines.forget.match import Cells, Column, Scan, hits
from pipelines.forget.swept import TABLES as SWEPT_TABLES
from pipelines.forget.swept import new_rows
from pipelines.forget.tokens import Tokens
from pipelines.identity import install

# each people table's column naming the account a row is about (its id key one of the erased ids:
# the row goes); None: a row holding any form of theirs goes
PEOPLE_TABLES: dict[tuple[str, str], str | None] = {
    ("raw", "customers"): "customer_id",
    # a quarantined customers row's opt-out: another person's keeps its other identifiers
    ("raw", "_withheld_opt_outs"): "customer_id",
    ("intermediate", "int_customers_erased"): None,  # every row is an erased account
    # one row per account (a dbt table since i22dbt): an erased account's row goes
    ("intermediate", "int_customers_matched"): "source_customer_id",
    ("intermediate", "int_customer_phones"): "customer_id",
    # the phone cache: a pair holds the phone as written, which no other form of it matches
    ("intermediate", "int_phone_numbers"): None,
    # the export's e-mail verdict cache (export/email_checks.py): the address as written
    ("exports", "email_checks"): None,
}
# the erasure list keeps them out; the export ledger keeps the erasure day's baseline so a rerun
# of that day sends the same removals, and forgets it at the next export (export/ledger.py)
KEPT = {("raw", "erasures"), ("exports", "members")}

# Tables whose rows carry the file they were loaded from (the load ledger's name for it): a form
# the last run looked for can only be in their rows of files loaded since (swept.py).
FILE_COLUMNS = ("_source_file", "source_file")
LINEAGE = {("raw", "_quarantine"), ("raw", "_withheld_opt_outs")}


def _varchar_columns(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], list[str]]:
    rows = con.execute(
        "select c.table_schema, c.table_name, c.column_name from information_schema.columns c"
        " join information_schema.tables t using (table_catalog, table_schema, table_name)"
        " where t.table_type = 'BASE TABLE' and c.data_type = 'VARCHAR'"
        " and t.table_catalog = current_database() order by all"
    ).fetchall()
    found: dict[tuple[str, str], list[str]] = {}
    for schema, table, column in rows:
        found.setdefault((schema, table), []).append(column)
    return found


def _scans(key: tuple[str, str], columns: list[str], old: Tokens, new: Tokens) -> list[Scan]:
    """New forms in every row; old ones in every row, but in raw only in rows of new files."""
    file_column = next((c for c in FILE_COLUMNS if c in columns), None)
    lineage = (
        key[0] == "raw" and file_column is not None and (file_column == "_source_file" or key in LINEAGE)
    )
    if lineage and file_column is not None:
        return [s for s in (Scan(new), Scan(old, new_rows(file_column))) if s.tokens.all()]
    return [Scan(Tokens(old.ids | new.ids, old.texts | new.texts, old.hashes | new.hashes))]


def _owned(con: duckdb.DuckDBPyConnection, cells: Cells, pairs: list[tuple[Column, list[str]]]) -> str | None:
    """SQL: the row's account is an erased one (of the owner column's hits, those that are ids)."""
    kept = []
    for part, values in pairs:
        if values:
            ids = pl.Series(sorted(part.scan.tokens.ids), dtype=pl.String)
            mask = is_id(con, pl.Series(values, dtype=pl.String), ids).to_list()
            values = [v for v, mine in zip(values, mask, strict=True) if mine]
        kept.append((part, values))
    return cells.cell(kept)


def forget_in_warehouse(con: duckdb.DuckDBPyConnection, old: Tokens, new: Tokens) -> int:
    """Delete or anonymise every row of the people in `old` and `new` (writer connection, inside
    the caller's transaction; swept.py registered the old files); returns the rows deleted plus
    the rows anonymised."""
    if not (old or new):
        return 0
    install(con)
    looked: dict[tuple[str, str], dict[str, list[Column]]] = {}
    for key, columns in _varchar_columns(con).items():
        if key in KEPT or key in SWEPT_TABLES:
            continue
        name = f'"{key[0]}"."{key[1]}"'
        scans = _scans(key, columns, old, new)
        looked[key] = {c: [Column(name, f'"{c}"', scan) for scan in scans] for c in columns}
    # every column's hits first, in shared Aho-Corasick passes; then only columns with a hit change
    found = iter(hits(con, [c for table in looked.values() for parts in table.values() for c in parts]))
    changed = 0
    for key, table in looked.items():
        name = f'"{key[0]}"."{key[1]}"'
        cells = Cells(con)
        try:
            hit = {c: [(part, next(found)) for part in parts] for c, parts in table.items()}
            tests = {c: cells.cell(pairs) for c, pairs in hit.items()}
            theirs = {c: test for c, test in tests.items() if test is not None}
            if not theirs:
                continue
            if key in PEOPLE_TABLES:
                owner = PEOPLE_TABLES[key]
                rows = _owned(con, cells, hit.get(owner, [])) if owner else " or ".join(theirs.values())
                if rows:
                    changed += con.execute(f"delete from {name} where {rows}").fetchall()[0][0]
                if owner is None:
                    continue
            # one update per column: one query testing every column at once carried every column
            # through each column's joins (slower than main at 100k, measured)
            for column, test in theirs.items():
                changed += con.execute(f'update {name} set "{column}" = null where {test}').fetchall()[0][0]
        finally:
            cells.close()
    return changed
