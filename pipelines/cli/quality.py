"""`rapport quality`: the last run's suite results and what the loader quarantined.

Reads the run's persisted JSON results (they carry the examples; the warehouse table
`quality.validation_results` keeps counts for trends) and `raw._quarantine`.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.load import quarantine_summary
from pipelines.quality.rejection_log import rejections
from pipelines.quality.report import last_run_dir, load_results
from pipelines.settings import Settings


def quarantine_lines(warehouse: Path) -> list[str]:
    if not warehouse.exists():
        return ["quarantine: no warehouse yet"]
    frame = quarantine_summary(warehouse)
    total = int(frame["rows"].sum()) if frame.height else 0
    out = [f"quarantine (raw._quarantine): {total:,} row(s)"]
    out += [f"  {e:<16} {r:<28} {n:>9,}  e.g. {x}" for e, r, n, x in frame.iter_rows()]
    return out


def quality_lines(settings: Settings, run_id: str | None = None) -> list[str]:
    """Everything `rapport quality` prints."""
    run_dir = last_run_dir(settings.quality_dir, run_id)
    if run_dir is None:
        out = [f"no quality results under {settings.quality_dir}"]
    else:
        results = load_results(run_dir)
        failed = sum(not r.success for r in results)
        out = [
            f"quality run {run_dir.name}: {len(results)} suite(s), {failed} failed — {run_dir / 'index.html'}"
        ]
        out += [f"  {line}" for result in results for line in result.summary_lines()]
    return out + rejected_lines(settings.quality_dir) + quarantine_lines(settings.warehouse_path)


def rejected_lines(quality_dir: Path, newest: int = 10) -> list[str]:
    """Batches the loader refused (nothing of them loaded), newest first, across runs."""
    found = rejections(quality_dir)
    out = [f"rejected batches (nothing of them was loaded): {len(found):,}"]
    out += [f"  {r['at']}  run {r['run_id']}: {r['source_file']}: {r['rule']}" for r in found[:newest]]
    return out + ([f"  ... and {len(found) - newest:,} older"] if len(found) > newest else [])
