"""Persist suite results: one JSON per suite run and a self-contained HTML index per run.

The HTML has inline CSS and no scripts or external assets, so it renders offline, unlike
GX data docs (which load their CSS/JS from CDNs); it links to those data docs anyway.
"""

from __future__ import annotations

import json
from dataclasses import replace
from html import escape
from pathlib import Path

from pipelines.files import atomic_write
from pipelines.quality.quarantined import FILE as QUARANTINE
from pipelines.quality.rejection_log import rejections
from pipelines.quality.result import SuiteResult

CSS = """body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 2em}td,th{border:1px solid #ccc;padding:4px 8px;
text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#17702b}.critical{color:#b00020;
font-weight:bold}.warning{color:#9a6700}code{font-size:12px}"""


def persist(result: SuiteResult, quality_dir: Path) -> SuiteResult:
    """Write <quality_dir>/<run_id>/<suite>.<batch>.json, refresh index.html, return with path."""
    run_dir = quality_dir / result.run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / f"{result.suite}.{result.batch}.json"
    result = replace(result, report=str(path))
    atomic_write(path, json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    write_index(run_dir)
    return result


def load_results(run_dir: Path) -> list[SuiteResult]:
    return [
        SuiteResult.from_dict(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(run_dir.glob("*.json"))
        if not p.name.startswith("_")  # the run's own summaries, e.g. _quarantine.json
    ]


def last_run_dir(quality_dir: Path, run_id: str | None = None) -> Path | None:
    """The run's folder, or the one whose results were written last."""
    if run_id:
        found = quality_dir / run_id
        return found if found.is_dir() else None
    runs = [p.parent for p in quality_dir.glob("*/*.json")]
    return max(runs, key=lambda p: max(f.stat().st_mtime for f in p.glob("*.json")), default=None)


def _summary(run_dir: Path, results: list[SuiteResult]) -> str:
    """The top of the page: the run's verdict in numbers, rejected batches, quarantine examples."""
    rejected = rejections(run_dir.parent, run_dir.name)
    path = run_dir / QUARANTINE
    quarantine = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    counts = [
        ("suites passed", f"{sum(r.success for r in results)} of {len(results)}"),
        ("suites failed", str(sum(not r.success for r in results))),
        ("warnings", str(sum(len(r.warnings) for r in results))),
        ("rejected batches", str(len(rejected))),
        ("rows quarantined", f"{sum(q['rows'] for q in quarantine):,}" if path.exists() else "not committed"),
    ]
    rows = [f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in counts]
    rows += [
        f'<tr><th class="critical">rejected</th><td>{escape(r["source_file"])}: {escape(r["rule"])}</td></tr>'
        for r in rejected
    ]
    rows += [
        f"<tr><th>{escape(q['entity'])}: {escape(q['reason'])}</th><td>{q['rows']:,} row(s), e.g. "
        f"{escape('; '.join(q['examples']))}</td></tr>"
        for q in quarantine
    ]
    return f'<h2>Summary</h2><table class="summary">{"".join(rows)}</table>'


def write_index(run_dir: Path) -> Path:
    results = load_results(run_dir)
    sections = [_summary(run_dir, results), *(_section(r) for r in results)]
    docs = ""
    if (run_dir / "data_docs" / "index.html").exists():
        docs = '<p><a href="data_docs/index.html">GX data docs</a> (unstyled offline)</p>'
    title = f"rapport quality — run {escape(run_dir.name)}"
    html = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{CSS}</style></head><body><h1>{title}</h1>{docs}{''.join(sections)}</body></html>"
    )
    path = run_dir / "index.html"
    atomic_write(path, html)
    return path


def _section(result: SuiteResult) -> str:
    verdict = '<span class="ok">passed</span>'
    if not result.success:
        verdict = '<span class="critical">FAILED</span>'
    head = (
        f"<h2>{escape(result.suite)} [{escape(result.batch)}] {verdict}</h2>"
        f"<p>{result.row_count} rows — <code>{escape(Path(result.report or '').name)}</code></p>"
    )
    rows = []
    for r in sorted(result.results, key=lambda r: (r.success, r.severity != "critical")):
        status = "ok" if r.success else r.severity
        cells = [
            f'<td class="{status}">{"ok" if r.success else r.severity.upper()}</td>',
            f"<td>{escape(r.expectation)}</td>",
            f"<td>{escape(r.column or '—')}</td>",
            f"<td>{'' if r.unexpected_count is None else r.unexpected_count}</td>",
            f"<td>{escape('; '.join(r.examples))}{escape(r.error or '')}</td>",
        ]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    header = "<tr><th>result</th><th>expectation</th><th>column</th><th>unexpected</th>"
    header += "<th>examples</th></tr>"
    return f"{head}<table>{header}{''.join(rows)}</table>"
