"""What rapport extracts from a shop's PostgreSQL database, and how each table is versioned.

Each extracted table has the contract columns of its entity plus `updated_at`, the
watermark column. A row's version is the latest of its timestamps, so a row is only
extracted once every timestamp in it is before the run's as-of date: the loader would
otherwise quarantine it as future-dated. Orders also wait for their customer's version,
so an order never lands before the customer row it refers to (the loader would
quarantine it as an orphan, for good).
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.contract import ENTITIES, MONEY

WATERMARK_COLUMN = "updated_at"


@dataclass(frozen=True)
class SourceTable:
    entity: str
    timestamps: tuple[str, ...]  # columns whose greatest value is the row's version


TABLES: tuple[SourceTable, ...] = (
    SourceTable("customers", ("updated_at", "signed_up_at", "unsubscribed_at")),
    SourceTable("products", ("updated_at",)),
    SourceTable("orders", ("updated_at", "ordered_at", "delivered_at")),
    SourceTable("order_lines", ("updated_at",)),
    SourceTable("returns", ("updated_at", "returned_at")),
)

# PostgreSQL udt_name families accepted for each contract type
ACCEPTED: dict[str, frozenset[str]] = {
    "varchar": frozenset({"text", "varchar", "bpchar", "uuid", "citext"}),
    MONEY: frozenset({"numeric", "int2", "int4", "int8"}),
    "timestamp": frozenset({"timestamp", "timestamptz"}),
    "date": frozenset({"date"}),
    "integer": frozenset({"int2", "int4", "int8"}),
    "boolean": frozenset({"bool"}),
}

# what each contract type is selected as: money as exact text, not float
SELECT_AS: dict[str, str] = {
    "varchar": "text",
    MONEY: "text",
    "timestamp": "timestamp",
    "date": "date",
    "integer": "bigint",
    "boolean": "boolean",
}

PG_TYPE: dict[str, str] = {
    "varchar": "text",
    MONEY: "numeric(18,2)",
    "timestamp": "timestamp",
    "date": "date",
    "integer": "integer",
    "boolean": "boolean",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def expected_columns(entity: str) -> dict[str, str]:
    """column -> contract type, including the watermark column."""
    columns = {c.name: c.type for c in ENTITIES[entity].columns}
    columns.setdefault(WATERMARK_COLUMN, "timestamp")
    return columns


def create_table_sql(schema: str, entity: str) -> str:
    cols = ", ".join(f"{q(c)} {PG_TYPE[t]}" for c, t in expected_columns(entity).items())
    key = ", ".join(q(k) for k in ENTITIES[entity].key)
    return f"create table {q(schema)}.{q(entity)} ({cols}, primary key ({key}))"
