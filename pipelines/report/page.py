"""Render the report as one HTML file: plotly.js inlined once, no external requests."""

from __future__ import annotations

from html import escape

from pipelines.report.charts import Chart
from pipelines.report.kpis import LABELS
from pipelines.report.money import Money
from pipelines.serve.manifest import Manifest

MONEY = ("net_revenue", "contribution")

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#222}
h1{margin-bottom:.2rem} .sub{color:#666;margin-top:0}
.kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:.8rem}
.kpi{border:1px solid #ddd;border-radius:8px;padding:.8rem} .kpi b{font-size:1.5rem;display:block}
.kpi small{color:#666} .up{color:#1a7f37} .down{color:#cf222e}
.na{background:#f6f8fa;border-left:4px solid #999;padding:.6rem 1rem;color:#555}
table{border-collapse:collapse} td,th{padding:.25rem .8rem;border-bottom:1px solid #eee;text-align:left}
"""


def _fmt(key: str, value: float | None, money: Money) -> str:
    if value is None:
        return "n/a"
    if key in ("top20_share", "margin_pct"):
        return f"{value:.1%}"
    return money(value) if key in MONEY else money.number(value)


def _delta(key: str, now: float | None, before: float | None, money: Money) -> str:
    if now is None or before is None:
        return "<small>no previous run</small>" if before is None else ""
    change = now - before
    if key in ("top20_share", "margin_pct"):
        text = f"{change * 100:+.1f} pts"
    else:
        text = ("+" if change >= 0 else "") + (money(change) if key in MONEY else money.number(change))
    return f'<small class="{"up" if change >= 0 else "down"}">{escape(text)} since previous run</small>'


def _label(key: str, kpis: dict[str, float | None]) -> str:
    """A margin that rests on default cost of goods says so (DECISIONLOG: assumed costs)."""
    if key in ("contribution", "margin_pct") and kpis.get("assumed_cost_of_goods"):
        return f"{LABELS[key]} (assumed cost of goods)"
    return LABELS[key]


def kpi_cards(kpis: dict[str, float | None], previous: dict[str, float | None], money: Money) -> str:
    cards = [
        f'<div class="kpi"><small>{escape(_label(k, kpis))}</small>'
        f"<b>{escape(_fmt(k, kpis.get(k), money))}</b>"
        f"{_delta(k, kpis.get(k), previous.get(k), money)}</div>"
        for k in LABELS
    ]
    return f'<div class="kpis">{"".join(cards)}</div>'


def quality_table(manifest: Manifest) -> str:
    q = manifest.quality
    rows = [
        ("suites passed", f"{q.suites_passed} of {q.suites}"),
        ("rows loaded", f"{q.rows_loaded:,}"),
        ("rows quarantined", f"{q.rows_quarantined:,}"),
        *(("failed expectation", f) for f in q.failed_expectations),
    ]
    return (
        "<table>"
        + "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)
        + "</table>"
    )


def render(manifest: Manifest, head: str, sections: list[tuple[str, Chart]], quality: str) -> str:
    body, inlined = [], False
    for i, (title, chart) in enumerate(sections):
        if isinstance(chart, str):
            body.append(f'<section><h2>{escape(title)}</h2><p class="na">{escape(chart)}</p></section>')
            continue
        chart.update_layout(margin={"t": 40, "b": 40}, height=420, template="plotly_white")
        div = chart.to_html(
            full_html=False,
            include_plotlyjs=not inlined,  # True inlines the whole library: works offline
            div_id=f"chart-{i}",
            config={"displaylogo": False, "responsive": True},
        )
        inlined = True
        body.append(f"<section><h2>{escape(title)}</h2>{div}</section>")
    title = f"rapport — {manifest.as_of_date.isoformat()}"
    sub = f"run {manifest.run_id} · published version {manifest.version}"
    if manifest.previous_version:
        sub += f" · compared with {manifest.previous_version}"
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1><p class='sub'>{escape(sub)}</p>"
        f"{head}{''.join(body)}<section><h2>Quality of this run</h2>{quality}</section></body></html>"
    )
