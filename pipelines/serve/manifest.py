"""manifest.json of a published version: which run, which date, what is in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import BaseModel


class TableEntry(BaseModel):
    name: str  # schema.table
    rows: int
    parquet: str  # path relative to the version directory
    sha256: str  # of the Parquet file


class QualitySummary(BaseModel):
    suites: int = 0
    suites_passed: int = 0
    failed_expectations: list[str] = []
    rows_loaded: int = 0
    rows_quarantined: int = 0


class Manifest(BaseModel):
    version: str
    run_id: str
    as_of_date: date
    published_at: str  # wall-clock metadata only; nothing computes with it
    previous_version: str | None
    made_current: bool = True  # False for a backfill older than the newest published date
    storage_version: str
    duckdb_sha256: str
    tables: list[TableEntry]
    quality: QualitySummary
    docs: list[str]

    def rows(self) -> dict[str, int]:
        return {t.name: t.rows for t in self.tables}

    def lines(self) -> list[str]:
        total = sum(t.rows for t in self.tables)
        return [
            f"published {self.version} (run {self.run_id}, as of {self.as_of_date.isoformat()}): "
            f"{len(self.tables)} tables, {total:,} rows, dbt docs: {'yes' if self.docs else 'no'}",
            *(
                []
                if self.made_current
                else [
                    f"  not made current: a newer as-of date is published; BI keeps reading it "
                    f"(this version: serving/versions/{self.version})"
                ]
            ),
            *(f"  {t.name:<40} {t.rows:>10,}" for t in self.tables),
        ]

    def write(self, path: Path) -> None:
        path.write_text(self.model_dump_json(indent=2))

    @classmethod
    def read(cls, path: Path) -> Manifest:
        return cls.model_validate_json(path.read_text())
