"""The key verdicts (keys.py, computed in one set of statements on the candidate keys) against
the rules applied one after the other, as written in Python: in-file duplicate, then the same key
in an earlier file or an earlier run (events only), then an unknown customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.contract import ENTITIES
from pipelines.load.keys import DUPLICATE, DUPLICATE_ACROSS, ORPHAN, RESTATABLE
from pipelines.load.orphans import UNPARSEABLE
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.row_rules import NO_IDENTIFIER
from pipelines.load.rules import apply_rules
from pipelines.load.schema import create_incoming, ident, untyped

AS_OF = date(2024, 3, 1)
FILLER = {"event_type": "send", "occurred_at": "2024-02-01", "ordered_at": "2024-02-01", "amount": "9.50"}
KNOWN = ("c1", "c2")  # staged customers; c3 only in a broken customers line; c4 nowhere
BROKEN_LINE = '"c3",x@y.org'
Key = tuple[str | None, ...]


@dataclass(frozen=True)
class Row:
    file: str
    line: int
    key: Key
    customer_id: str | None


def _expected(entity: str, rows: list[Row], committed: list[tuple[str, Key]]) -> dict[tuple[str, int], str]:
    """(file, line) -> reason, the rules one after another, each on the rows left by the last."""
    verdict: dict[tuple[str, int], str] = {}
    if entity == "suppressions":
        for r in rows:
            if all(v is None for v in r.key):
                verdict[r.file, r.line] = NO_IDENTIFIER
    left = [r for r in rows if (r.file, r.line) not in verdict]
    for r in left:  # a NULL key part still groups in one file (partition by)
        if any(o.file == r.file and o.key == r.key and o.line < r.line for o in left):
            verdict[r.file, r.line] = DUPLICATE
    batch = {r.file for r in rows}
    left = [r for r in left if (r.file, r.line) not in verdict]
    if entity not in RESTATABLE:
        firsts = list(left)
        for r in left:  # across files and runs, a NULL key part matches nothing
            if None in r.key:
                continue
            earlier = any(o.key == r.key and o.file < r.file for o in firsts)
            before = any(k == r.key and f not in batch for f, k in committed)
            if earlier or before:
                verdict[r.file, r.line] = DUPLICATE_ACROSS
    if entity != "suppressions":
        for r in left:
            if (r.file, r.line) in verdict:
                continue
            known = r.customer_id in KNOWN or (r.customer_id is not None and r.customer_id in BROKEN_LINE)
            if not known:
                verdict[r.file, r.line] = ORPHAN
    return verdict


def _quarantined(entity: str, row: Row, reason: str) -> tuple[str, str, str]:
    """(column, value, reason) of a quarantine row, as the loader writes it."""
    if reason == ORPHAN:
        return "customer_id", str(row.customer_id), reason
    key = ENTITIES[entity].key
    if reason == NO_IDENTIFIER:
        return "|".join(key), "||", reason
    return ",".join(key), "|".join(v for v in row.key if v is not None), reason


def _stage(entity: str, rows: list[Row], committed: list[tuple[str, Key]]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    ensure_raw_tables(con)
    create_incoming(con, "r1", AS_OF)
    con.execute("create temp table _customer_ids_seen (customer_id varchar)")
    con.execute(
        "create temp table _batch_files as select unnest(?::varchar[]) as source_file",
        [sorted({r.file for r in rows})],
    )
    con.executemany("insert into incoming.customers (customer_id) values (?)", [[c] for c in KNOWN])
    con.execute(
        "insert into incoming._quarantine values ('customers', 'c.csv', 3, null, ?, ?)",
        [BROKEN_LINE, UNPARSEABLE],
    )
    key = ENTITIES[entity].key
    for f, parts in committed:
        con.execute(
            f"insert into raw.{ident(entity)} ({', '.join(ident(k) for k in key)}, _source_file) values"
            f" ({', '.join('?' for _ in key)}, ?)",
            [*parts, f],
        )
    columns = [c.name for c in ENTITIES[entity].columns]
    values = []
    for r in rows:
        row = {c: FILLER.get(c) for c in columns} | dict(zip(key, r.key, strict=True))
        if "customer_id" not in key:
            row["customer_id"] = r.customer_id
        values.append([*(row[c] for c in columns), r.file, r.line])
    con.executemany(f"insert into {untyped(entity)} values ({', '.join('?' for _ in values[0])})", values)
    apply_rules(con, entity, AS_OF, check_orphans=True)
    return con


IDS = st.sampled_from(["k1", "k2", "k3"])
FILES = st.sampled_from(["a.csv", "b.csv", "c.csv"])
CUSTOMERS = st.sampled_from(["c1", "c2", "c3", "c4"])


@st.composite
def batches(draw: st.DrawFn) -> tuple[str, list[Row], list[tuple[str, Key]]]:
    entity = draw(st.sampled_from(["email_events", "orders", "suppressions"]))
    part = st.one_of(st.none(), st.sampled_from(["p1", "p2"])) if entity == "suppressions" else IDS
    width = len(ENTITIES[entity].key)
    keys = st.tuples(*[part] * width)
    drawn = draw(st.lists(st.tuples(FILES, keys, CUSTOMERS), min_size=1, max_size=14))
    lines: dict[str, int] = {}
    rows = []
    for file, k, customer in drawn:  # lines in a file rise in drawn order, inserted shuffled
        lines[file] = lines.get(file, 1) + draw(st.integers(1, 2))
        rows.append(Row(file, lines[file], k, customer))
    rows = draw(st.permutations(rows))
    committed = draw(st.lists(st.tuples(st.sampled_from(["a.csv", "old.csv"]), keys), max_size=3))
    return entity, rows, committed


@settings(max_examples=150, deadline=None)
@given(batches())
def test_key_verdicts_match_the_rules_applied_in_order(
    batch: tuple[str, list[Row], list[tuple[str, Key]]],
) -> None:
    entity, rows, committed = batch
    expected = _expected(entity, rows, committed)
    con = _stage(entity, rows, committed)
    found = con.execute(
        "select source_file, source_line, column_name, value, reason from incoming._quarantine"
        " where entity = ?",
        [entity],
    ).fetchall()
    by_line = {(r.file, r.line): r for r in rows}
    assert sorted(found) == sorted(
        (*at, *_quarantined(entity, by_line[at], why)) for at, why in expected.items()
    )
    staged = con.execute(f"select _source_file, _source_line from incoming.{ident(entity)}").fetchall()
    assert sorted(staged) == sorted((r.file, r.line) for r in rows if (r.file, r.line) not in expected)
