"""Hand-written raw warehouses and a dbt runner for the dbt project tests.

The loader is not needed: raw tables are created straight from the contract, so
the dbt project is tested against exactly the layout the loader must produce.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.contract import ENTITIES
from pipelines.load.raw_tables import ERASED_ROWS, LEDGER
from pipelines.settings import get_settings
from pipelines.warehouse import connect

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"
DBT = Path(sys.executable).with_name("dbt")
AS_OF = "2024-07-01"

Rows = dict[str, list[dict[str, Any]]]  # entity -> rows, each with its _source_file

# One landed file per row unless stated; the file name orders restatements.
# order_id, customer_id, ordered_at, amount, status, updated_at (None: same as ordered_at)
_ORDERS = [
    ("O9", "C1", "2022-01-01 09:00:00", "200.00", "delivered", None),
    ("O7", "X9", "2023-03-01 12:00:00", "15.00", "delivered", None),
    ("O4", "C2", "2023-12-01 08:00:00", "40.00", "delivered", None),
    ("O4", "C2", "2023-12-01 08:00:00", "40.00", "delivered", None),  # the same row re-sent
    ("O1", "C1", "2024-01-15 10:00:00", "120.50", "delivered", None),
    ("O3", "C2", "2024-02-01 11:00:00", "55.55", "placed", None),
    ("O3", "C2", "2024-02-01 11:00:00", "55.55", "cancelled", "2024-02-02 09:00:00"),
    ("O8", "C5", "2024-05-10 15:00:00", "60.00", "delivered", None),
    ("O10", "C5", "2024-06-01 10:00:00", "25.00", "placed", None),
    ("O2", "C7", "2024-06-20 09:30:00", "80.25", "returned", "2024-06-25 10:00:00"),
    ("O5", "C3", "2024-06-30 23:59:59", "10.01", "shipped", None),
    # on the as-of date: not counted
    ("O6", "C3", "2024-07-01 00:00:00", "999.99", "placed", None),
    # O10 cancelled after the as-of date: on it, the order was still placed
    ("O10", "C5", "2024-06-01 10:00:00", "25.00", "cancelled", "2024-07-03 10:00:00"),
]
# customer_id, email, signed_up_at, consent, last_name, channel, unsubscribed_at, updated_at
_CUSTOMERS = [
    ("C3", "cara@example.com", "2022-05-01 10:00:00", True, "Lee", "email", None, None),
    ("C1", " Anna.Smith@Example.com ", "2023-01-10 10:00:00", False, "Smith", "search", None, None),
    ("C2", "bob@example.com", "2023-02-01 10:00:00", True, "Brown", "social", None, None),
    ("C4", None, "2023-03-01 10:00:00", None, "Nomail", "search", None, None),
    ("C5", "dave@example.com", "2023-04-01 10:00:00", True, "Doe", "search", None, None),
    ("C7", "anna.smith@example.com", "2023-06-01 10:00:00", True, "Smith-Jones", "social", None, None),
    ("C2", "bob@example.com", "2023-02-01 10:00:00", False, "Brown", "social",
     "2024-03-01 08:00:00", "2024-03-01 08:00:00"),
    # Cara opts out after the as-of date: she was still consenting on it
    ("C3", "cara@example.com", "2022-05-01 10:00:00", False, "Lee", "email",
     "2024-07-05 08:00:00", "2024-07-05 08:00:00"),
]  # fmt: skip
# return_id, order_id, returned_at, refund_amount
_RETURNS = [
    ("R3", "O3", "2024-02-03 10:00:00", "55.55"),
    ("R1", "O2", "2024-06-25 10:00:00", "30.10"),
    ("R2", "O8", "2024-07-02 10:00:00", "60.00"),  # after the as-of date
]
# event_id, customer_id, event_type, occurred_at
_EVENTS = [
    ("E1", "C5", "unsubscribe", "2024-05-01 09:00:00"),
    ("E2", "C1", "open", "2024-05-01 09:00:00"),
]


def _rows(entity: str, columns: list[str], records: list[tuple[Any, ...]], day: int) -> list[dict]:
    rows = []
    for n, record in enumerate(records):
        row = dict(zip(columns, record, strict=True))
        stamp = str(row.get("updated_at") or row[columns[day]])[:10]
        row["_source_file"] = f"{entity}/date={stamp}/part-{n:02d}.csv"
        rows.append(row)
    return rows


ORDERS = [
    {**r, "updated_at": r["updated_at"] or r["ordered_at"], "currency": "EUR"}
    for r in _rows(
        "orders",
        ["order_id", "customer_id", "ordered_at", "amount", "status", "updated_at"],
        _ORDERS,
        2,
    )
]
FULL: Rows = {
    "orders": ORDERS,
    "customers": [
        {**r, "first_name": "Anna" if r["customer_id"] in ("C1", "C7") else "Pat"}
        for r in _rows(
            "customers",
            [
                "customer_id",
                "email",
                "signed_up_at",
                "marketing_consent",
                "last_name",
                "acquisition_channel",
                "unsubscribed_at",
                "updated_at",
            ],
            _CUSTOMERS,
            2,
        )
    ],
    "returns": _rows("returns", ["return_id", "order_id", "returned_at", "refund_amount"], _RETURNS, 2),
    "email_events": _rows(
        "email_events", ["event_id", "customer_id", "event_type", "occurred_at"], _EVENTS, 3
    ),
}
ORDERS_ONLY: Rows = {"orders": ORDERS}


def write_raw(path: Path, rows: Rows) -> None:
    """Every contract entity as raw.<entity> (+ _source_file, _source_line), filled from rows."""
    with connect(path) as con:
        con.execute("create schema raw")
        for entity in ENTITIES.values():
            cols = ", ".join(f"{c.name} {c.type}" for c in entity.columns)
            con.execute(f"create table raw.{entity.name} ({cols}, _source_file varchar, _source_line bigint)")
        for name, records in rows.items():
            for record in records:
                values = {**record, "_source_line": 2}
                columns = ", ".join(values)
                marks = ", ".join("?" for _ in values)
                con.execute(f"insert into raw.{name} ({columns}) values ({marks})", list(values.values()))
        con.execute(ERASED_ROWS)
        ledger(con)


def ledger(con: duckdb.DuckDBPyConnection) -> None:
    """The load ledger the loader would have written: one row per file, its checksum from its rows."""
    con.execute(f"create table if not exists raw._load_ledger ({', '.join(f'{n} {t}' for n, t in LEDGER)})")
    con.execute("delete from raw._load_ledger")
    for entity in ENTITIES:
        con.execute(
            "insert into raw._load_ledger select _source_file, $entity, 0, md5(string_agg(t::varchar, '|'"
            f" order by t::varchar)), count(*), count(*), 0, 'test', timestamp '2024-01-01' from raw.{entity}"
            " as t group by _source_file",
            {"entity": entity},
        )


def dbt(tmp: Path, warehouse: Path, *args: str, as_of: str | None = AS_OF) -> subprocess.Popen[str]:
    """Start one dbt command with its own target/log paths so runs never share state."""
    env = {**os.environ, "RAPPORT_WAREHOUSE_PATH": str(warehouse), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    cmd = [str(DBT), *args, "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
           "--target-path", str(tmp / "target"), "--log-path", str(tmp / "logs")]  # fmt: skip
    if as_of is not None:
        cmd += ["--vars", json.dumps({"as_of_date": as_of})]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


@dataclass(frozen=True)
class Run:
    warehouse: Path
    returncode: int
    output: str

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with connect(self.warehouse, read_only=True) as con:
            return con.execute(sql).fetchall()

    def text_cells(self) -> list[tuple[str, str, str]]:
        """(table, column, value) of every distinct non-null text cell in marts and segments:
        what the erasure tests search for a person who must not be there."""
        with connect(self.warehouse, read_only=True) as con:  # one connection, not one per column
            columns = con.execute(
                "select table_schema || '.' || table_name, column_name from information_schema.columns"
                " where table_schema in ('marts', 'segments') and data_type = 'VARCHAR'"
            ).fetchall()
            return [
                (table, column, value)
                for table, column in columns
                for (value,) in con.execute(
                    f'select distinct "{column}" from {table} where "{column}" notnull'
                ).fetchall()
            ]


def built(home: Path, warehouse: Path, as_of: str, *args: str) -> Run:
    """`dbt build` as of `as_of` with `args`; the test fails with dbt's output if it fails."""
    out, _ = (proc := dbt(home, warehouse, "build", *args, as_of=as_of)).communicate(timeout=900)
    run = Run(warehouse, proc.returncode, out)
    assert run.returncode == 0, out[-6000:]
    return run


def insert_rows(con: duckdb.DuckDBPyConnection, rows: dict[str, list[dict]]) -> None:
    """Each record (column -> value) into its raw table at source line 2, then the load ledger."""
    for table, records in rows.items():
        for record in records:
            values = {**record, "_source_line": 2}
            marks = ", ".join("?" for _ in values)
            con.execute(
                f"insert into raw.{table} ({', '.join(values)}) values ({marks})", list(values.values())
            )
    ledger(con)


def customer_row(cid: str, email: str, phone: str | None) -> dict:
    """A raw.customers row of a hand-written erasure case (a name of its own, Indian, consented)."""
    return {
        "customer_id": cid, "email": email, "phone": phone, "first_name": cid, "last_name": "Testcase",
        "signed_up_at": "2023-01-10 10:00:00", "country": "IN", "marketing_consent": True,
        "acquisition_channel": "search", "updated_at": "2023-01-10 10:00:00",
        "_source_file": f"customers/date=2023-01-10/{cid}.csv",
    }  # fmt: skip


def order_row(oid: str, cid: str, at: str) -> dict:
    """A delivered ₹10 raw.orders row of a hand-written erasure case."""
    return {
        "order_id": oid, "customer_id": cid, "ordered_at": at, "amount": "10.00", "status": "delivered",
        "updated_at": at, "currency": "INR", "_source_file": f"orders/date={at[:10]}/{oid}.csv",
    }  # fmt: skip


@contextmanager
def erasure_case(home: Path, key: str, rows: dict[str, list[dict]]) -> Iterator[Path]:
    """A hand-written erasure case's warehouse under `home` (RAPPORT_HOME and the erasure key set,
    the settings re-read), its raw rows inserted; the environment is restored afterwards."""
    warehouse = home / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_HOME", str(home))
        patch.setenv("RAPPORT_ERASURE_KEY", key)
        get_settings.cache_clear()
        write_raw(warehouse, {})
        with connect(warehouse) as con:
            insert_rows(con, rows)
        try:
            yield warehouse
        finally:
            get_settings.cache_clear()


def case_rows(customers: list[dict], erased: str) -> dict[str, list[dict]]:
    """A hand-written erasure case's day: its customers, one March order each (O1, O2, ... in
    their order), and one erasure request for account `erased` dated 2024-06-30."""
    request = {"email": None, "customer_id": erased, "phone": None, "requested_at": "2024-06-30",
               "_source_file": "erasures/date=2024-06-30/0.csv"}  # fmt: skip
    orders = [order_row(f"O{n}", c["customer_id"], "2024-03-01 12:00:00") for n, c in enumerate(customers, 1)]
    return {"customers": customers, "orders": orders, "erasures": [request]}
