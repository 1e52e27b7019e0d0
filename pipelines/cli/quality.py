"""`rapport quality`: the last run's suite results and what the loader quarantined.

Reads the run's persisted JSON results (they carry the examples; the warehouse table
`quality.validation_results` keeps counts for trends) and `raw._quarantine`.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.load import quarantine_summary
from pipelines.quality.report import last_run_dir, load_results
from pipelines.quality.result import SuiteResult
from pipelines.settings import Settings


def _suite_lines(result: SuiteResult) -> list[str]:
    verdict = "passed" if result.success else "FAILED"
    out = [
        f"  {result.suite} [{result.batch}] {verdict}: {result.row_count:,} rows, "
        f"{len(result.results)} expectations, {len(result.critical_failures)} critical, "
        f"{len(result.warnings)} warning(s)"
    ]
    for label, failures in (("CRITICAL", result.critical_failures), ("warning ", result.warnings)):
        out += [f"    {label} {f.plain()}" for f in failures]
    return out


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
        for result in results:
            out += _suite_lines(result)
    return out + rejected_lines(settings.quality_dir) + quarantine_lines(settings.warehouse_path)


def rejected_lines(quality_dir: Path, newest: int = 10) -> list[str]:
    """Batches the loader refused (nothing of them loaded), newest first, across runs."""
    from pipelines.quality.rejected import rejections

    found = rejections(quality_dir)
    out = [f"rejected batches (nothing of them was loaded): {len(found):,}"]
    out += [f"  {r['at']}  run {r['run_id']}: {r['source_file']}: {r['rule']}" for r in found[:newest]]
    return out + ([f"  ... and {len(found) - newest:,} older"] if len(found) > newest else [])
