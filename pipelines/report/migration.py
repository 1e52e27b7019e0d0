"""How customers moved between RFM segments since the previous published run: heatmap and Sankey."""

from __future__ import annotations

from pathlib import Path

import duckdb
import plotly.graph_objects as go
import polars as pl

from pipelines.report.charts import Chart


def _moves(con: duckdb.DuckDBPyConnection, previous_rfm: Path) -> pl.DataFrame:
    return con.sql(
        """
        select coalesce(p.segment, '(new)') as from_segment, coalesce(c.segment, '(gone)') as to_segment,
               count(*) as customers
        from read_parquet($path) p full join marts.customer_rfm c using (customer_id)
        group by all order by all
        """,
        params={"path": str(previous_rfm)},
    ).pl()


def migration(con: duckdb.DuckDBPyConnection, previous_rfm: Path | None) -> Chart:
    """Movers only: the stayers (diagonal) are left blank and counted in the title."""
    if previous_rfm is None or not previous_rfm.exists():
        return "Not available: no previous published run to compare with."
    moves = _moves(con, previous_rfm)
    stayers = int(moves.filter(pl.col("from_segment") == pl.col("to_segment"))["customers"].sum())
    wide = moves.pivot(on="to_segment", index="from_segment", values="customers", sort_columns=True)
    wide = wide.sort("from_segment").fill_null(0)
    tos = [c for c in wide.columns if c != "from_segment"]
    froms = wide["from_segment"].to_list()
    z = [[None if to == src else value for to, value in zip(tos, row, strict=True)]
         for src, row in zip(froms, wide.select(tos).rows(), strict=True)]  # fmt: skip
    fig = go.Figure(go.Heatmap(x=tos, y=froms, z=z, colorscale="Purples", hoverongaps=False))
    return fig.update_layout(
        title=f"customers who moved (blank diagonal: {stayers:,} stayed in their segment)",
        xaxis_title="segment now",
        yaxis_title="segment in the previous run",
    )


def migration_flows(con: duckdb.DuckDBPyConnection, previous_rfm: Path | None, largest: int = 12) -> Chart:
    """A Sankey of the largest flows between two runs' segments (stayers left out)."""
    if previous_rfm is None or not previous_rfm.exists():
        return "Not available: no previous published run to compare with."
    moves = _moves(con, previous_rfm).filter(pl.col("from_segment") != pl.col("to_segment"))
    top = moves.sort(["customers", "from_segment", "to_segment"], descending=[True, False, False]).head(
        largest
    )
    if top.height == 0:
        return "Nobody changed segment since the previous run."
    sources = [f"{s} (before)" for s in top["from_segment"]]
    targets = [f"{t} (now)" for t in top["to_segment"]]
    labels = sorted(set(sources)) + sorted(set(targets))
    link = {
        "source": [labels.index(s) for s in sources],
        "target": [labels.index(t) for t in targets],
        "value": top["customers"].to_list(),
    }
    return go.Figure(go.Sankey(node={"label": labels, "pad": 12}, link=link))
