"""A user's own orders-only folder from 1997-98, run the way `make run LANDING=DIR` runs it.

The file is an Indian-shop export (its own header, `;`, day-first dates, `₹`/`Rs.` amounts in
Indian grouping) with a landing config that only names the columns; the marts must equal a
count made here from the rows this test wrote, to the paisa.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import duckdb
import numpy as np
import pytest

from orchestration.local_airflow import run_dag
from pipelines.settings import Settings

pytestmark = pytest.mark.e2e

CONFIG = """
entities:
  orders:
    columns: {Invoice No: order_id, Customer: customer_id, Invoice Date: ordered_at, Bill Amount: amount}
    currency: INR
"""


def _indian(paise: int) -> str:
    whole, frac = divmod(paise, 100)
    digits = str(whole)
    head, tail = digits[:-3], digits[-3:]
    groups = []
    while head:
        groups.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([*groups, tail]) + f".{frac:02d}"


def _orders(rng: np.random.Generator) -> list[tuple[str, str, datetime, Decimal]]:
    start = datetime(1997, 1, 1, 9)
    rows = []
    for i in range(240):
        customer = f"C{int(rng.integers(1, 61)):03d}"
        when = start + timedelta(days=int(rng.integers(0, 729)), minutes=int(rng.integers(0, 600)))
        rows.append((f"INV-{i:05d}", customer, when, Decimal(int(rng.integers(100, 9_999_999))) / 100))
    return rows


def test_an_orders_only_folder_from_1998_runs_end_to_end(tmp_path: Path) -> None:
    rows = _orders(np.random.default_rng(1998))
    landing = tmp_path / "my_shop"
    landing.mkdir()
    lines = ["Invoice No;Customer;Invoice Date;Bill Amount"]
    for i, (order, customer, when, amount) in enumerate(rows):
        symbol = "₹" if i % 2 else "Rs. "
        lines.append(f"{order};{customer};{when:%d/%m/%Y %H:%M};{symbol}{_indian(int(amount * 100))}")
    (landing / "orders.csv").write_bytes(("\ufeff" + "\r\n".join(lines) + "\r\n").encode())
    config = tmp_path / "landing.yml"
    config.write_text(CONFIG)
    home = tmp_path / "home"
    env = {**os.environ, "RAPPORT_HOME": str(home), "RAPPORT_LANDING_CONFIG": str(config)}
    rapport = str(Path(sys.executable).with_name("rapport"))
    proc = subprocess.run(
        [rapport, "run", "--landing", str(landing)], env=env, text=True, capture_output=True, check=False
    )
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    last = max(when for _, _, when, _ in rows)
    assert f"as-of date {(last.date() + timedelta(days=1)).isoformat()}" in proc.stdout
    expected: dict[str, tuple[int, datetime, datetime, Decimal]] = {}
    for _, customer, when, amount in rows:
        n, first, latest, total = expected.get(customer, (0, when, when, Decimal(0)))
        expected[customer] = (n + 1, min(first, when), max(latest, when), total + amount)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        got = con.execute(
            "select source_customer_ids, orders, first_order_at, last_order_at, net_revenue"
            " from marts.customers"
        ).fetchall()
    assert {r[0]: tuple(r[1:]) for r in got} == expected
    assert sum(t for *_, t in expected.values()) == sum(amount for *_, amount in rows)


def test_a_run_before_the_start_date_fails_saying_why(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, start_date=date(2000, 1, 1))
    proc = run_dag(settings, date(1998, 12, 31), tmp_path)
    assert proc.returncode == 1
    assert "before the DAG's start_date 2000-01-01" in proc.stderr and "RAPPORT_START_DATE" in proc.stderr
