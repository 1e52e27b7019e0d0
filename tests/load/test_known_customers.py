"""The customers gathered once per batch (known.py) give the orphan verdicts the union gives."""

from __future__ import annotations

from datetime import date

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.load.keys import ORPHAN
from pipelines.load.known import remember_known_customers
from pipelines.load.orphans import BAD_ENCODING, UNPARSEABLE, orphans_sql
from pipelines.load.raw_tables import ensure_raw_tables
from pipelines.load.schema import create_incoming

IDS = st.one_of(st.none(), st.sampled_from(["c1", "c2", "c3", "c4", "c5", "c1 "]))
QUARANTINED = st.tuples(
    st.sampled_from(["incoming._quarantine", "raw._quarantine"]),
    st.sampled_from(["customer_id", "birthday"]),
    st.sampled_from([UNPARSEABLE, BAD_ENCODING, "wrong type"]),
    st.sampled_from(["c2", '"c3",x@y.z,1990', "c4|9"]),
)


def _verdicts(con: duckdb.DuckDBPyConnection, known: tuple[str, str] | None) -> list[tuple[object, ...]]:
    return sorted(con.execute(orphans_sql(known), {"reason": ORPHAN}).fetchall(), key=str)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(IDS, max_size=4),
    st.lists(IDS, max_size=4),
    st.lists(IDS, max_size=4),
    st.lists(QUARANTINED, max_size=3),
    st.lists(IDS, min_size=1, max_size=8),
)
def test_remembered_customers_give_the_verdicts_of_the_union(
    staged: list[str | None],
    committed: list[str | None],
    seen: list[str | None],
    quarantined: list[tuple[str, str, str, str]],
    orders: list[str | None],
) -> None:
    con = duckdb.connect()
    ensure_raw_tables(con)
    create_incoming(con, "r1", date(2024, 3, 1))
    con.execute("create temp table _customer_ids_seen (customer_id varchar)")
    for table, ids in (
        ("incoming.customers", staged),
        ("raw.customers", committed),
        ("_customer_ids_seen", seen),
    ):
        for i in ids:
            con.execute(f"insert into {table} (customer_id) values (?)", [i])
    for i, (table, column, reason, value) in enumerate(quarantined):
        run = ", 'r0'" if table.startswith("raw") else ""
        con.execute(
            f"insert into {table} values ('customers', 'c.csv', ?, ?, ?, ?{run})", [i, column, value, reason]
        )
    con.execute("create temp table _key_bad (_source_file varchar, _source_line bigint)")
    con.execute("insert into _key_bad values ('o.csv', 2)")  # a duplicate is no orphan as well
    con.execute(
        "create temp table _typed as select 'o.csv' as _source_file, i + 2 as _source_line, c as customer_id"
        " from unnest(?::varchar[]) with ordinality as u(c, i)",
        [orders],
    )
    assert _verdicts(con, remember_known_customers(con)) == _verdicts(con, None)
