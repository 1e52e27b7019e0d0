"""The report's CLV sections: P(alive) grid, CLV by decile, holdout check, top customers by name."""

from __future__ import annotations

import duckdb
import plotly.graph_objects as go

from pipelines.report.charts import Chart, _missing
from pipelines.report.kpis import has_table

TOP_CUSTOMERS = 25
FREQUENCY_CAP = 10  # frequencies above share the last column
RECENCY_BINS = 10


def _p_alive_grid(con: duckdb.DuckDBPyConnection) -> Chart:
    grid = con.sql(
        f"""
        with binned as (
            select least(frequency, {FREQUENCY_CAP}) as f,
                   least(floor(recency_days * {RECENCY_BINS} / greatest(max(t_days) over (), 1)),
                         {RECENCY_BINS - 1})::int as rb,
                   max(t_days) over () as span, p_alive
            from marts.customer_clv)
        select f, rb, any_value(span) as span, avg(p_alive) as p_alive, count(*) as customers
        from binned group by all order by all
        """
    ).pl()
    span = float(grid["span"].max() or 1)
    step = span / RECENCY_BINS
    label = [f"{int(b * step)}-{int((b + 1) * step)}" for b in range(RECENCY_BINS)]
    wide = grid.pivot(on="f", index="rb", values="p_alive", sort_columns=True).sort("rb")
    fs = [c for c in wide.columns if c != "rb"]
    fig = go.Figure(
        go.Heatmap(
            x=[f"{f}+" if int(f) == FREQUENCY_CAP else f for f in fs],
            y=[label[int(b)] for b in wide["rb"]],
            z=wide.select(fs).to_numpy(),
            zmin=0, zmax=1, colorscale="RdYlGn", colorbar={"title": "P(alive)"},
        )
    )  # fmt: skip
    return fig.update_layout(
        xaxis_title="frequency (repeat purchases)", yaxis_title="recency: days from first to last purchase"
    )


def _deciles(con: duckdb.DuckDBPyConnection) -> Chart:
    rows = con.sql(
        "select clv_decile, count(*) as customers, sum(clv_12m)::double as total, "
        "avg(clv_12m)::double as mean from marts.customer_clv group by 1 order by 1"
    ).pl()
    fig = go.Figure(go.Bar(x=rows["clv_decile"], y=rows["total"], name="total predicted CLV"))
    fig.add_scatter(x=rows["clv_decile"], y=rows["mean"], name="mean per customer", yaxis="y2")
    return fig.update_layout(
        xaxis_title="CLV decile (10 = highest)", yaxis_title="12-month CLV, total",
        yaxis2={"title": "mean per customer", "overlaying": "y", "side": "right"},
    )  # fmt: skip


def _holdout(con: duckdb.DuckDBPyConnection) -> Chart:
    rows = con.sql("select * from marts.clv_holdout_validation order by frequency_bucket").pl()
    if rows.height == 0:
        return "Not available: no repeat purchase before the holdout period to fit on."
    top = rows["frequency_bucket"].max()
    x = [f"{b}+" if b == top and b >= 7 else str(b) for b in rows["frequency_bucket"]]
    fig = go.Figure(go.Scatter(x=x, y=rows["actual_mean"], name="actual", mode="lines+markers"))
    fig.add_scatter(x=x, y=rows["predicted_mean"], name="predicted (BG/NBD)", mode="lines+markers")
    return fig.update_layout(
        xaxis_title="repeat purchases in the calibration period",
        yaxis_title="mean purchases in the holdout period",
    )


def _top_customers(con: duckdb.DuckDBPyConnection) -> Chart:
    names = "concat_ws(' ', c.first_name, c.last_name)" if has_table(con, "marts.customers") else "''"
    join = "left join marts.customers c using (customer_id)" if has_table(con, "marts.customers") else ""
    rows = con.sql(
        f"""
        select clv.customer_id, coalesce(nullif({names}, ''), '—') as name, clv.clv_12m::double as clv,
               clv.p_alive, clv.frequency, clv.expected_purchases_365d as purchases
        from marts.customer_clv clv {join}
        order by clv.clv_12m desc, clv.customer_id limit {TOP_CUSTOMERS}
        """
    ).pl()
    header = ["customer", "name", "12-month CLV", "P(alive)", "repeat purchases", "purchases next 365 d"]
    cells = [
        rows["customer_id"].to_list(), rows["name"].to_list(),
        [f"{v:,.2f}" for v in rows["clv"]], [f"{v:.2f}" for v in rows["p_alive"]],
        rows["frequency"].to_list(), [f"{v:.1f}" for v in rows["purchases"]],
    ]  # fmt: skip
    fig = go.Figure(go.Table(header={"values": header}, cells={"values": cells}))
    return fig.update_layout(height=60 + 28 * rows.height)


def clv_sections(con: duckdb.DuckDBPyConnection) -> list[tuple[str, Chart]]:
    titles = (
        "Predicted: P(alive) by frequency and recency",
        "Predicted 12-month CLV by decile",
        "Holdout check: predicted versus actual purchases",
        f"Top {TOP_CUSTOMERS} customers by predicted 12-month CLV",
    )
    scored = has_table(con, "marts.customer_clv")
    if not scored or not con.sql("select 1 from marts.customer_clv limit 1").fetchall():
        return [(t, _missing("marts.customer_clv")) for t in titles]
    charts = (_p_alive_grid(con), _deciles(con), _holdout(con), _top_customers(con))
    return list(zip(titles, charts, strict=True))
