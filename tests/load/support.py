"""Small landing fixtures and warehouse look-ups for the loader tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.load import LoadReport, StageReport, commit_staged, stage_landing
from pipelines.warehouse import connect

AS_OF = date(2024, 3, 1)
ORDERS_HEADER = "order_id,customer_id,ordered_at,amount,status\n"
CUSTOMERS = "customer_id,email\nc1,a@example.com\nc2,b@example.com\n"

# the loader's quarantine reason for each kind of defect the generator injects (_truth/defects.csv)
DEFECT_REASONS = {
    "malformed_row": "unparseable row",
    "wrong_type": "wrong type",
    "negative_value": "negative value",
    "duplicate_key": "duplicate key in file",
    "orphan_customer": "orphan customer_id",
    "future_date": "future date",
    "bad_encoding": "bad encoding",
}


def assert_quarantine_is_the_defects(landing: Path, found: pl.DataFrame) -> pl.DataFrame:
    """`found` (distinct source_file, source_line, reason of raw._quarantine) is exactly the
    generator's listed defects; returns those defects with the loader's reasons."""
    truth = pl.read_csv(landing / "_truth" / "defects.csv", infer_schema=False).select(
        "source_file",
        pl.col("source_line").cast(pl.Int64),
        pl.col("kind").replace_strict(DEFECT_REASONS).alias("reason"),
    )
    assert truth.height > 50 and found.height == truth.height
    # an injected duplicate is a copy: when it lands above its original, the original is the later one
    dup = pl.col("reason") == DEFECT_REASONS["duplicate_key"]
    assert found.filter(~dup).sort(pl.all()).equals(truth.filter(~dup).sort(pl.all()))
    per_file = [df.filter(dup)["source_file"].value_counts().sort("source_file") for df in (found, truth)]
    assert per_file[0].equals(per_file[1])
    return truth


def write(landing: Path, rel: str, content: str | bytes) -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def query(warehouse: Path, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connect(warehouse, read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def has_schema(warehouse: Path, schema: str) -> bool:
    found = query(warehouse, "select count(*) from duckdb_schemas() where schema_name = ?", [schema])
    return bool(found[0][0])


@dataclass
class Site:
    """A landing folder and a warehouse in one temporary directory."""

    landing: Path
    warehouse: Path

    def write(self, rel: str, content: str | bytes) -> Path:
        return write(self.landing, rel, content)

    def stage(self, run_id: str = "r1", as_of: date = AS_OF) -> StageReport:
        return stage_landing(self.landing, self.warehouse, as_of, run_id)

    def load(self, run_id: str = "r1", as_of: date = AS_OF) -> tuple[StageReport, LoadReport]:
        staged = self.stage(run_id, as_of)
        return staged, commit_staged(self.warehouse, run_id)

    def query(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return query(self.warehouse, sql, params)

    def quarantine(self, schema: str = "incoming") -> set[tuple[Any, ...]]:
        """(source_file, source_line, column_name, reason) of every quarantined problem."""
        rows = self.query(f"select source_file, source_line, column_name, reason from {schema}._quarantine")
        return set(rows)
