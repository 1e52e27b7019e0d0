"""The key rules look up a chunk's distinct keys in the batch-wide tables, not its rows.

At 10M customers the joins of a chunk's rows (file names and lines as payload) with ~10M known
customer ids, and with the ~59M event ids earlier chunks staged, ran out of the stage's memory
cap; a chunk's distinct ids and keys bound those joins instead (the verdicts are unchanged:
test_key_verdicts.py, test_known_customers.py).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import duckdb

from pipelines.load.keys import ORPHAN, apply_key_rules
from pipelines.load.orphans import orphans_sql
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.schema import create_incoming

# 200 rows naming 3 values, two of them new
ROWS = (
    "select 'o.csv' as _source_file, i + 2 as _source_line, 'c' || (i % 3 * 5000) as v from range(200) t(i)"
)


def _scans(node: dict[str, Any], table: str) -> bool:
    return table in str(node.get("extra_info", {}).get("Table", "")) or any(
        _scans(c, table) for c in node.get("children", [])
    )


def _looked_up(node: dict[str, Any], table: str) -> list[int]:
    """Rows of the other input of every join that has `table` (and no `_typed`) on one side."""
    rows = []
    children = node.get("children", [])
    if "JOIN" in node["type"] and any(_scans(c, table) and not _scans(c, "_typed") for c in children):
        rows += [c["intermediate_rows"] for c in children if not _scans(c, table)]
    for c in children:
        rows += _looked_up(c, table)
    return rows


def _plan_rows(con: duckdb.DuckDBPyConnection, sql: str, params: object, table: str) -> list[int]:
    profile = con.execute("explain (analyze, format json) " + sql, params).fetchall()
    return [r for root in json.loads(profile[0][1])["operator"] for r in _looked_up(root, table)]


def test_the_known_ids_are_joined_to_the_chunks_distinct_ids() -> None:
    con = duckdb.connect()
    con.execute("create temp table _known_customer_ids as select 'c' || i as id from range(1000) t(i)")
    con.execute("create temp table _broken_customer_lines (line varchar)")
    con.execute("create temp table _key_bad (_source_file varchar, _source_line bigint)")
    typed = f"select _source_file, _source_line, v as customer_id from ({ROWS})"
    con.execute(f"create temp table _typed as {typed}")
    sql = orphans_sql(("select id from _known_customer_ids", "select line from _broken_customer_lines"))
    assert len(con.execute(sql, {"reason": ORPHAN}).fetchall()) == 133
    rows = _plan_rows(con, sql, {"reason": ORPHAN}, "_known_customer_ids")
    assert rows and max(rows) <= 3


class _Recording:
    """A connection that keeps the statements run through it."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con, self.statements = con, []  # type: list[tuple[str, Any]]

    def execute(self, sql: str, params: object = None) -> duckdb.DuckDBPyConnection:
        self.statements.append((sql, params))
        return self.con.execute(sql, params)


def test_keys_of_earlier_chunks_and_runs_are_joined_to_the_chunks_distinct_keys() -> None:
    con = duckdb.connect()
    ensure_raw_tables(con)
    create_incoming(con, "r1", date(2024, 3, 1))
    con.execute("create temp table _batch_files (source_file varchar)")
    for table in ("incoming.email_events", "raw.email_events"):  # earlier chunks' and runs' events
        rows = "select 'c' || i, 'e.csv' from range(1000) t(i)"
        con.execute(f"insert into {table} (event_id, _source_file) {rows}")
    con.execute(
        "create temp table _typed as select v as event_id, 'c1' as customer_id, 'send' as event_type,"
        " timestamp '2024-03-01' as occurred_at, 'x' as campaign_id, _source_file, _source_line"
        f" from ({ROWS})"
    )
    recording = _Recording(con)
    apply_key_rules(recording, "email_events", False, "_earlier")  # type: ignore[arg-type]
    lookups = [
        (s.removeprefix("insert into _key_bad "), p)
        for s, p in recording.statements
        if s.startswith("insert into _key_bad") and (" from raw." in s or " from incoming." in s)
    ]
    assert len(lookups) == 2
    con.execute(
        "create temp table _key_bad (_source_file varchar, _source_line bigint,"
        " column_name varchar, value varchar, reason varchar)"
    )
    for sql, params in lookups:
        rows = _plan_rows(con, sql, params, "email_events")  # incoming's or raw's
        assert rows and max(rows) <= 3
