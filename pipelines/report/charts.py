"""One plotly figure per report section, or a note saying why the section is not available yet."""

from __future__ import annotations

from typing import TypeAlias

import duckdb
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from pipelines.report.kpis import has_table
from pipelines.report.money import Money

CURVE_POINTS = 400  # enough for a smooth line; keeps the report small for a million customers
LIFECYCLE = ("new", "active", "reactivated", "at_risk", "lapsed", "churned")
Chart: TypeAlias = go.Figure | str


def _missing(table: str) -> str:
    return f"Not available: {table} is not published yet."


def segments_chart(current: dict[str, int], previous: dict[str, int]) -> Chart:
    names = sorted(set(current) | set(previous), key=lambda s: -current.get(s, 0))
    fig = go.Figure(go.Bar(name="this run", x=names, y=[current.get(n, 0) for n in names]))
    if previous:
        fig.add_bar(name="previous run", x=names, y=[previous.get(n, 0) for n in names])
    return fig.update_layout(barmode="group", yaxis_title="customers")


def rfm_grid(con: duckdb.DuckDBPyConnection, money: Money) -> Chart:
    grid = con.sql(
        "select r_score, f_score, count(*) as customers, sum(monetary)::double as revenue "
        "from marts.customer_rfm group by all order by all"
    ).pl()
    fig = make_subplots(
        rows=1, cols=2, subplot_titles=("customers", "revenue (RFM window)"), horizontal_spacing=0.16
    )
    for col, value in enumerate(("customers", "revenue"), start=1):
        wide = grid.pivot(on="f_score", index="r_score", values=value, sort_columns=True).sort("r_score")
        fs = [c for c in wide.columns if c != "r_score"]
        z = wide.select(fs).to_numpy()
        shown = money if value == "revenue" else money.number
        text = [["" if v != v else shown(float(v)) for v in row] for row in z]  # v != v: NaN, empty cell
        heat = go.Heatmap(
            x=fs, y=wide["r_score"].to_list(), z=z, coloraxis=f"coloraxis{col}", text=text,
            hovertemplate="recency %{y}, frequency %{x}: %{text}<extra></extra>",
        )  # fmt: skip
        fig.add_trace(heat, row=1, col=col)
        fig.update_xaxes(title_text="frequency score (5 = most orders) →", row=1, col=col)
        fig.update_yaxes(title_text="recency score (5 = most recent) →", row=1, col=col)
    return fig.update_layout(
        coloraxis1={"colorscale": "Blues", "colorbar": {"x": 0.42}},
        coloraxis2={"colorscale": "Greens"},
    )


def _curve(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[float], list[float]]:
    """Cumulative shares, thinned to about CURVE_POINTS points plus the last one."""
    rows = con.execute(
        f"""
        with v as ({sql}),
        c as (select rn::double / n as x, sum(value) over (order by rn) / nullif(sum(value) over (), 0) as y,
                     rn, n from (select value, row_number() over (order by value desc) as rn,
                                        count(*) over () as n from v))
        select x, y from c where rn % greatest(n // {CURVE_POINTS}, 1) = 0 or rn = n order by rn
        """
    ).fetchall()
    return [0.0] + [float(x) for x, _ in rows], [0.0] + [float(y or 0) for _, y in rows]


def _share_at_20(xs: list[float], ys: list[float]) -> float:
    return next((y for x, y in zip(xs, ys, strict=True) if x >= 0.2), ys[-1])


def value_curves(con: duckdb.DuckDBPyConnection) -> tuple[Chart, Chart]:
    px, py = _curve(con, "select net_revenue::double as value from marts.customers where orders > 0")
    pareto = go.Figure(go.Scatter(x=px, y=py, mode="lines", name="revenue"))
    pareto.add_vline(
        x=0.2, line_dash="dash", annotation_text=f"top 20%: {_share_at_20(px, py):.0%} of revenue"
    )
    pareto.update_layout(xaxis_title="share of buyers", yaxis_title="cumulative share of revenue")
    if not has_table(con, "marts.customer_profitability"):
        return pareto, _missing("marts.customer_profitability")
    wx, wy = _curve(con, "select contribution::double as value from marts.customer_profitability")
    whale = go.Figure(go.Scatter(x=wx, y=wy, mode="lines", name="profit"))
    whale.add_vline(x=0.2, line_dash="dash", annotation_text=f"top 20%: {_share_at_20(wx, wy):.0%} of profit")
    whale.add_hline(y=1.0, line_dash="dot")
    whale.update_layout(xaxis_title="share of customers", yaxis_title="cumulative share of contribution")
    return pareto, whale


def lifecycle_stages(con: duckdb.DuckDBPyConnection) -> Chart:
    """Bars, not a funnel: the stages are states a customer is in, not steps they pass through.

    Labels say "lifecycle: ..." so that "at risk" here (overdue against one's own rhythm) is not
    read as the RFM segment "At Risk" (low recency score, high frequency)."""
    if not has_table(con, "marts.customer_lifecycle"):
        return _missing("marts.customer_lifecycle")
    counts = dict(
        con.execute("select lifecycle_stage, count(*) from marts.customer_lifecycle group by 1").fetchall()
    )
    stages = [s for s in LIFECYCLE if s in counts] + sorted(set(counts) - set(LIFECYCLE), key=str)
    labels = [f"lifecycle: {str(s).replace('_', ' ')}" for s in stages]
    fig = go.Figure(go.Bar(x=[counts[s] for s in stages], y=labels, orientation="h"))
    return fig.update_layout(xaxis_title="customers", yaxis={"autorange": "reversed"})
