"""What a stage or a commit did, per entity, in a shape a log line or a test can read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb


@dataclass(frozen=True)
class EntityCounts:
    entity: str
    files: int
    rows_in: int
    rows_loaded: int
    rows_quarantined: int

    def line(self) -> str:
        return (
            f"{self.entity}: {self.files} file(s), {self.rows_in} rows in, "
            f"{self.rows_loaded} loaded, {self.rows_quarantined} quarantined"
        )

    @classmethod
    def of_batch(cls, con: duckdb.DuckDBPyConnection) -> tuple[EntityCounts, ...]:
        """Per entity of the staged batch (incoming._files): what the stage and the commit report."""
        rows = con.execute(
            "select entity, count(*), sum(rows_in), sum(rows_staged), sum(rows_quarantined)"
            " from incoming._files group by entity order by entity"
        ).fetchall()
        return tuple(cls(e, int(n), int(i), int(s), int(q)) for e, n, i, s, q in rows)


@dataclass(frozen=True)
class _Totals:
    entities: tuple[EntityCounts, ...]

    @property
    def files(self) -> int:
        return sum(e.files for e in self.entities)

    @property
    def rows_in(self) -> int:
        return sum(e.rows_in for e in self.entities)

    @property
    def rows_loaded(self) -> int:
        return sum(e.rows_loaded for e in self.entities)

    @property
    def rows_quarantined(self) -> int:
        return sum(e.rows_quarantined for e in self.entities)

    def counts(self, entity: str) -> EntityCounts:
        """Counts of one entity (zeros when it had no file in this batch)."""
        return next((e for e in self.entities if e.entity == entity), EntityCounts(entity, 0, 0, 0, 0))


@dataclass(frozen=True)
class StageReport(_Totals):
    """rows_loaded here means staged into `incoming`, not yet committed."""

    run_id: str
    as_of: date
    skipped: tuple[str, ...] = ()  # unchanged since the ledger entry
    ignored: tuple[str, ...] = ()  # landing paths that are no contract data
    extra_columns: tuple[tuple[str, str], ...] = ()  # (source_file, column) not in the contract
    approximate_lines: tuple[str, ...] = ()  # files numbered by record, see lines.py
    detected: tuple[str, ...] = ()  # formats read from the data or the landing config, per file

    def lines(self) -> list[str]:
        out = [  # new vs unchanged first: a second run over the same folder says why it did nothing
            f"{self.files:,} new file(s), {len(self.skipped):,} unchanged: {self.rows_in:,} rows in, "
            f"{self.rows_loaded:,} staged, {self.rows_quarantined:,} quarantined "
            f"(run {self.run_id}, as of {self.as_of})"
        ]
        out += [f"  {e.line()}" for e in self.entities]
        out += [f"  ignored (not landing data): {p}" for p in self.ignored]
        out += [f"  extra column ignored: {f} -> {c}" for f, c in self.extra_columns]
        out += [f"  line numbers are record numbers in: {f}" for f in self.approximate_lines]
        out += [f"  format: {d}" for d in self.detected]
        return out


@dataclass(frozen=True)
class LoadReport(_Totals):
    run_id: str

    def lines(self) -> list[str]:
        if not self.entities:
            return [f"run {self.run_id}: nothing staged, raw tables ensured"]
        out = [
            f"committed {self.files} file(s) for run {self.run_id}: {self.rows_in} rows in, "
            f"{self.rows_loaded} loaded, {self.rows_quarantined} quarantined"
        ]
        return out + [f"  {e.line()}" for e in self.entities]
