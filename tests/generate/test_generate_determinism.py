"""Same arguments, same bytes; another seed, another shop."""

from __future__ import annotations

import hashlib
import tempfile
from datetime import date
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.contract import ENTITIES
from pipelines.generate import generate_shop
from tests.generate.conftest import read_sql

SHORT = {"start": date(2025, 10, 1), "end": date(2026, 1, 31)}


def digest(out: Path) -> dict[str, str]:
    return {
        p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = digest(generate_shop(tmp_path / "a", 300, seed=9, dirty_rate=0.05, **SHORT).out)
    second = digest(generate_shop(tmp_path / "b", 300, seed=9, dirty_rate=0.05, **SHORT).out)
    assert first == second
    assert "_truth/customer_params.parquet" in first


def test_parquet_output_is_deterministic_too(tmp_path: Path) -> None:
    first = digest(generate_shop(tmp_path / "a", 200, seed=3, fmt="parquet", **SHORT).out)
    second = digest(generate_shop(tmp_path / "b", 200, seed=3, fmt="parquet", **SHORT).out)
    assert first == second


def test_another_seed_gives_another_shop(tmp_path: Path) -> None:
    first = digest(generate_shop(tmp_path / "a", 300, seed=1, **SHORT).out)
    second = digest(generate_shop(tmp_path / "b", 300, seed=2, **SHORT).out)
    shared = set(first) & set(second)
    differing = [f for f in shared if first[f] != second[f]]
    assert len(differing) > 0.9 * len(shared)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), customers=st.integers(20, 400))
def test_any_shop_reconciles_and_keeps_keys_unique(seed: int, customers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        summary = generate_shop(out, customers, seed=seed, **SHORT)
        con = duckdb.connect()
        for name in ("customers", "orders", "order_lines", "returns", "email_events"):
            if summary.rows[name]:
                con.execute(f"create table {name} as {read_sql(out, name)}")
            else:  # a tiny shop may have nothing to say, e.g. no returns at all
                columns = ", ".join(f"{c.name} {c.type}" for c in ENTITIES[name].columns)
                con.execute(f"create table {name} ({columns})")
        checks = {
            "amounts": """select count(*) from orders o left join (select order_id,
                          sum(quantity * unit_price - line_discount) s from order_lines group by 1)
                          l using (order_id) where l.s is distinct from o.amount""",
            "order keys": "select count(*) - count(distinct order_id) from orders",
            "line keys": "select count(*) - count(distinct order_line_id) from order_lines",
            "customer rows": "select count(*) - count(distinct (customer_id, updated_at)) from customers",
            "customers": f"select count(distinct customer_id) - {customers} from customers",
            "orphans": """select count(*) from orders
                          where customer_id not in (select customer_id from customers)""",
            "refunds": """select count(*) from returns r join order_lines l using (order_line_id)
                          where r.refund_amount > l.quantity * l.unit_price - l.line_discount""",
            "events": """select count(*) from email_events
                         where customer_id not in (select customer_id from customers)""",
        }
        for label, sql in checks.items():
            assert con.execute(sql).fetchall() == [(0,)], label
        assert summary.rows["customers"] >= customers
        assert set(summary.rows) == set(ENTITIES)
        written = {p.relative_to(out).parts[0] for p in summary.paths}
        assert written == {name for name, rows in summary.rows.items() if rows}
