"""Export the segment lists as CRM import files, behind the quality gate.

All lists are read and validated before any file is written: a campaign must never go out
with half of its lists refreshed, and a failed gate leaves the previous export untouched.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.export.files import atomic_write, crm_csv, sha256
from pipelines.export.manifest import advance_latest, invalidate, previous_count, write_manifest
from pipelines.quality.result import QualityGateFailed, SuiteResult
from pipelines.warehouse import connect

# export name -> dbt model in schema `segments`
SEGMENTS = {"champions": "segment_champions", "win_back": "segment_win_back"}
COLUMNS = "customer_id, email, first_name, last_name, segment, is_marketable"


@dataclass(frozen=True)
class SegmentExport:
    segment: str
    rows_in: int
    rows_excluded: int  # not marketable (no consent or unsubscribed): never exported
    rows_written: int
    path: Path
    sha256: str


@dataclass(frozen=True)
class ExportReport:
    as_of: date
    run_id: str
    segments: tuple[SegmentExport, ...]
    manifest: Path

    def lines(self) -> list[str]:
        lines = [f"export {self.as_of.isoformat()} (run {self.run_id}) -> {self.manifest}"]
        lines += [
            f"  {s.segment}: {s.rows_in} in, {s.rows_excluded} excluded (no consent), "
            f"{s.rows_written} written -> {s.path}"
            for s in self.segments
        ]
        return lines


def _read_segments(warehouse: Path) -> dict[str, pl.DataFrame]:
    with connect(warehouse, read_only=True) as con:
        present = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'segments'"
            ).fetchall()
        }
        missing = sorted(set(SEGMENTS.values()) - present)
        if missing:
            raise LookupError(f"segment models missing in {warehouse}: {missing}; run dbt first")
        return {
            name: con.sql(f"select {COLUMNS} from segments.{table}").pl() for name, table in SEGMENTS.items()
        }


def export_segments(
    warehouse: Path,
    export_dir: Path,
    quality_dir: Path,
    as_of: date,
    run_id: str,
    *,
    data_docs: bool = True,
) -> ExportReport:
    """Write <export_dir>/<as_of>/<segment>.csv + manifest.json, then move `latest`.

    Raises QualityGateFailed (and writes no export file) if any list fails a critical
    check; the quality results are persisted either way. `data_docs` as in validate_segment.
    """
    # Imported here: GX takes seconds to import and DAG files import this module.
    from pipelines.quality.segment import validate_segment

    frames = _read_segments(warehouse)  # the read-only connection is closed again here
    marketable = {
        name: frame.filter(pl.col("is_marketable").fill_null(False)) for name, frame in frames.items()
    }
    results: list[SuiteResult] = [
        validate_segment(
            frame.to_pandas(),
            name,
            previous_count(export_dir, name, as_of),
            quality_dir,
            run_id,
            data_docs=data_docs,
        )
        for name, frame in marketable.items()
    ]
    if not all(r.success for r in results):
        raise QualityGateFailed(results)

    day_dir = export_dir / as_of.isoformat()
    invalidate(day_dir)
    written: list[SegmentExport] = []
    for name, frame in marketable.items():
        data, path = crm_csv(frame), day_dir / f"{name}.csv"
        atomic_write(path, data)
        excluded = frames[name].height - frame.height
        written.append(SegmentExport(name, frames[name].height, excluded, frame.height, path, sha256(data)))
    manifest = write_manifest(
        day_dir,
        as_of,
        run_id,
        {
            s.segment: {
                "file": s.path.name,
                "rows": s.rows_written,
                "excluded_no_consent": s.rows_excluded,
                "sha256": s.sha256,
                "run_id": run_id,
            }
            for s in written
        },
    )
    advance_latest(export_dir, as_of)
    return ExportReport(as_of, run_id, tuple(written), manifest)
