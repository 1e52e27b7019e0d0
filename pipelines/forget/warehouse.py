"""Erased people leave every table of the warehouse, set-based in DuckDB.

Tables that are about people (`PEOPLE_TABLES`) lose the person's rows. Every other table
keeps its rows and loses the identifying cells (set to NULL): an order, an interaction,
a quarantined cell stays counted, so rows in = loaded + quarantined and the revenue
reconciliations still hold; the money becomes anonymous revenue, as in the marts. The
erasure list itself (`raw.erasures`) is the one thing kept: it is what keeps them out.
A cell is theirs when it is one of their ids (whitespace trimmed), or contains, in any
case, one of their emails or phones in a written form or hash (tokens.py: the forms are
computed through the identity rule from what they wrote), e.g. inside a JSON record.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.forget.tokens import Tokens
from pipelines.identity import install

PEOPLE_TABLES = {
    ("raw", "customers"),
    ("raw", "_withheld_opt_outs"),
    ("intermediate", "int_customers_erased"),
    ("intermediate", "int_customer_phones"),
    # the phone cache: a pair holds the phone as written, which no other form of it matches
    ("intermediate", "int_phone_numbers"),
    # the export's e-mail verdict cache (export/email_checks.py): the address as written
    ("exports", "email_checks"),
}
# the erasure list keeps them out; the export ledger keeps the erasure day's baseline so a rerun
# of that day sends the same removals, and forgets it at the next export (export/ledger.py)
KEPT = {("raw", "erasures"), ("exports", "members")}

# A cell is theirs when its id key is one of their ids, or its lower case (DuckDB's lower)
# contains one of their text forms. The containment is decided once per distinct value of the
# column, by one Aho-Corasick pass (polars' contains_any): one RE2 alternation of every form
# (16,985 at 1M customers) cost ~80 µs a cell, hours over a 1M warehouse's 269M cells.
CELL = """({c} is not null and (rapport_id_key({c}) in (select token from _forget_ids)
    or {c} in (select v from {hits})))"""


def _hits(con: duckdb.DuckDBPyConnection, table: str, column: str, texts: list[str], name: str) -> str:
    """Register as `name` the column's distinct values whose lower case holds a text form."""
    values = con.sql(
        f'select distinct "{column}" as v, lower("{column}") as low from {table} where "{column}" is not null'
    ).pl()
    found = values.filter(pl.col("low").str.contains_any(texts)) if texts and len(values) else values.clear()
    con.register(name, found.select("v").to_arrow())
    return name


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


def forget_in_warehouse(con: duckdb.DuckDBPyConnection, tokens: Tokens) -> int:
    """Delete or anonymise every row of the people in `tokens` (writer connection); returns
    the rows deleted plus the rows anonymised."""
    if not tokens:
        return 0
    install(con)
    con.register("_forget_ids", pl.DataFrame({"token": sorted(tokens.ids)}).to_arrow())
    texts = sorted({t.lower() for t in tokens.texts | tokens.hashes})
    changed = 0
    registered: list[str] = []
    con.execute("begin transaction")
    for (schema, table), columns in _varchar_columns(con).items():
        if (schema, table) in KEPT:
            continue
        name = f'"{schema}"."{table}"'
        cells = []
        for n, column in enumerate(columns):
            registered.append(_hits(con, name, column, texts, f"_forget_hits_{n}"))
            cells.append(CELL.format(c=f'"{column}"', hits=f"_forget_hits_{n}"))
        if (schema, table) in PEOPLE_TABLES:
            changed += con.execute(f"delete from {name} where {' or '.join(cells)}").fetchall()[0][0]
            continue
        for column, cell in zip(columns, cells, strict=True):
            update = f'update {name} set "{column}" = null where {cell}'
            changed += con.execute(update).fetchall()[0][0]
    con.execute("commit")
    for hits in {*registered, "_forget_ids"}:
        con.unregister(hits)
    return changed
