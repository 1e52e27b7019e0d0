"""An erasure landing after a build: the next (delta) build drops the person from every
mart and segment, the facts keep their money without any identifier, revenue reconciles.

Anna (C1 + C7, one email) asks by a messy variant of her email (NBSP, tab, case), which
only the identity rule (pipelines/identity.py) matches; X9 (seen only in orders) asks by id.
Their net revenue (370.65 + 15.00) stays in marts.orders as anonymous revenue.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rapport_dbt import AS_OF, FULL, Run, dbt, ledger, write_raw

from pipelines.warehouse import connect

ERASED_IDS = {"C1", "C7", "X9"}
ERASURES = [
    {"email": "\u00a0Anna.SMITH@Example.com\t", "customer_id": None, "phone": None,
     "requested_at": "02/07/2026 10:00", "_source_file": "erasures/date=2024-06-30/part-00.csv"},
    {"email": None, "customer_id": " X9 ", "phone": None,
     "requested_at": "garbage", "_source_file": "erasures/date=2024-06-30/part-01.csv"},
]  # fmt: skip
FACTS = {
    "orders": "order_id, customer_id, source_customer_id, net_revenue",
    "order_lines": "order_line_id, order_id, customer_id",
    "interactions": "channel, interaction_id, customer_id, source_customer_id",
}


def _build(tmp: Path, warehouse: Path, *args: str, as_of: str = AS_OF) -> Run:
    out, _ = (proc := dbt(tmp, warehouse, *args, as_of=as_of)).communicate(timeout=600)
    return Run(warehouse, proc.returncode, out)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("erasure")
    warehouse = tmp / "warehouse.duckdb"
    write_raw(warehouse, FULL)
    # a day earlier first: segment history keeps that day's rows, which must go too
    earlier = _build(tmp, warehouse, "build", as_of="2024-06-30")
    assert earlier.returncode == 0, earlier.output[-6000:]
    before = _build(tmp, warehouse, "build")
    assert before.returncode == 0, before.output[-6000:]
    runs: dict[str, Any] = {"before": before}
    runs["revenue_before"] = before.query("select sum(net_revenue) from marts.orders")
    runs["hits_before"] = _identifier_hits(before)
    with connect(warehouse) as con:
        for row in ERASURES:
            values = {**row, "_source_line": 2}
            con.execute(
                f"insert into raw.erasures ({', '.join(values)}) values ({', '.join('?' for _ in values)})",
                list(values.values()),
            )
        ledger(con)
    runs["delta"] = _build(tmp, warehouse, "build")
    assert runs["delta"].returncode == 0, runs["delta"].output[-6000:]
    facts = {
        name: runs["delta"].query(f"select {cols} from marts.{name} order by all")
        for name, cols in FACTS.items()
    }
    runs["delta_facts"] = facts  # type: ignore[assignment]
    runs["full"] = _build(
        tmp, warehouse, "run", "--full-refresh", "--select", "orders", "order_lines", "interactions"
    )
    assert runs["full"].returncode == 0, runs["full"].output[-6000:]
    return runs


def _identifier_hits(run: Run) -> list[tuple[str, str, str]]:
    """(table, column, value) of every text cell in marts/segments naming an erased person."""
    return [
        (table, column, value)
        for table, column, value in run.text_cells()
        if set(value.split("|")) & ERASED_IDS or "anna" in value.lower()
    ]


def test_the_delta_build_removes_erased_people_from_every_mart(runs: dict[str, Any]) -> None:
    delta = runs["delta"]
    seen = {(table, value) for table, _, value in runs["hits_before"]}
    # the check sees them before the erasure, in earlier runs' history too
    assert {("marts.customers", "C1|C7"), ("marts.orders", "X9"), ("marts.interactions", "C1")} <= seen
    assert len({t for t, _ in seen}) >= 10
    assert "orders: delta build" in delta.output and "interactions: delta build" in delta.output
    assert _identifier_hits(delta) == []
    people = {c for (c,) in delta.query("select customer_id from marts.customers")}
    assert people == {"C2", "C3", "C4", "C5"}
    for mart in ("customer_rfm", "customer_lifecycle", "customer_profitability", "customer_value_curve",
                 "customer_clv_summary", "customer_segment_history"):  # fmt: skip
        ids = {c for (c,) in delta.query(f"select distinct customer_id from marts.{mart}")}
        assert ids and not ids & ERASED_IDS and None not in ids, mart
    days = delta.query("select distinct as_of_date::varchar from marts.customer_segment_history order by 1")
    assert days == [("2024-06-30",), (AS_OF,)]


def test_facts_keep_the_money_without_any_identifier(runs: dict[str, Any]) -> None:
    delta = runs["delta"]
    anonymous = delta.query(
        "select order_id, customer_id, source_customer_id, net_revenue from marts.orders"
        " where customer_id is null order by order_id"
    )
    assert anonymous == [
        ("O1", None, None, Decimal("120.50")),
        ("O2", None, None, Decimal("50.15")),
        ("O7", None, None, Decimal("15.00")),
        ("O9", None, None, Decimal("200.00")),
    ]
    # revenue reconciles to the cent: every order still counts, the people no longer
    assert delta.query("select sum(net_revenue) from marts.orders") == runs["revenue_before"]
    [(people, anon)] = delta.query(
        "select (select sum(net_revenue) from marts.customers),"
        " (select sum(net_revenue) from marts.orders where customer_id is null)"
    )
    assert people + anon == runs["revenue_before"][0][0] == Decimal("520.66")
    assert delta.query(
        "select customer_id, source_customer_id from marts.interactions where interaction_id = 'E2'"
    ) == [(None, None)]


def test_the_delta_build_equals_a_full_rebuild(runs: dict[str, Any]) -> None:
    full = runs["full"]
    for name, cols in FACTS.items():
        assert full.query(f"select {cols} from marts.{name} order by all") == runs["delta_facts"][name], name
