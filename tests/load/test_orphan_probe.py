"""The orphan check matches a chunk's distinct customer ids against the known ones, not its rows.

At 10M customers the join of a chunk's rows (file names and lines as payload) with ~10M known
ids ran out of the stage's memory cap; the distinct ids of a chunk bound the join instead.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb

from pipelines.load.keys import ORPHAN, orphans_sql

KNOWN = "_known_customer_ids"


def _scans(node: dict[str, Any], table: str) -> bool:
    return table in str(node.get("extra_info", {}).get("Table", "")) or any(
        _scans(c, table) for c in node.get("children", [])
    )


def _joins_with_known(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The other inputs of every join that has the known ids on one side."""
    found = []
    children = node.get("children", [])
    if "JOIN" in node["type"] and any(c["type"] == "TABLE_SCAN" and _scans(c, KNOWN) for c in children):
        found += [c for c in children if not _scans(c, KNOWN)]
    for c in children:
        found += _joins_with_known(c)
    return found


def test_the_known_ids_are_joined_to_the_chunks_distinct_ids() -> None:
    con = duckdb.connect()
    con.execute(f"create temp table {KNOWN} as select 'c' || i as id from range(1000) t(i)")
    con.execute("create temp table _broken_customer_lines (line varchar)")
    con.execute("create temp table _key_bad (_source_file varchar, _source_line bigint)")
    # 200 rows naming 3 customers, two of them unknown
    con.execute(
        "create temp table _typed as select 'o.csv' as _source_file, i + 2 as _source_line,"
        " 'c' || (i % 3 * 5000) as customer_id from range(200) t(i)"
    )
    sql = orphans_sql((f"select id from {KNOWN}", "select line from _broken_customer_lines"))
    assert len(con.execute(sql, {"reason": ORPHAN}).fetchall()) == 133
    profile = con.execute("explain (analyze, format json) " + sql.replace("$reason", "'o'")).fetchall()
    plan = json.loads(profile[0][1])
    others = [o for root in plan["operator"] for o in _joins_with_known(root)]
    assert others and all(o["intermediate_rows"] <= 3 for o in others)
