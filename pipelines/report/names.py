"""The report's names: who is best, who is slipping away, who costs more than they earn.

Tables of people, not counts, so a manager can act from the report alone. The serving copy
already leaves erased people out (pipelines/serve); "may e-mail" shows marketing consent, so
nobody without it is picked for a campaign from here. Columns a shop's marts lack show "—".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import plotly.graph_objects as go

from pipelines.report.kpis import has_table
from pipelines.report.money import Money

TOP = 10
COSTS = ("cost_of_goods", "shipping_cost", "cost_to_serve", "marketing_cost")


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    return {str(c) for (c,) in con.execute(f"select column_name from (describe {table})").fetchall()}


def _person(con: duckdb.DuckDBPyConnection) -> str:
    """SQL of a person's name (or their id when the serving copy has no names)."""
    have = _columns(con, "marts.customers")
    parts = [f"c.{c}" for c in ("first_name", "last_name") if c in have]
    name = f"nullif(concat_ws(' ', {', '.join(parts)}), '')" if parts else "null"
    consent = "c.has_marketing_consent" if "has_marketing_consent" in have else "null::boolean"
    return f"coalesce({name}, c.customer_id) as person, {consent} as may_email"


def _table(header: list[str], rows: list[tuple], cells: list[Callable[[Any], str]]) -> go.Figure:
    columns = [[fmt(row[i]) for row in rows] for i, fmt in enumerate(cells)]
    fig = go.Figure(
        go.Table(header={"values": header, "align": "left"}, cells={"values": columns, "align": "left"})
    )
    return fig.update_layout(height=60 + 28 * len(rows))


def _amount(money: Money) -> Callable[[Any], str]:
    return lambda value: "—" if value is None else money(float(value))


def _percent(value: Any) -> str:
    return "—" if value is None else f"{float(value):.0%}"


def _yes(value: object) -> str:
    return "—" if value is None else "yes" if value else "no"


def _text(value: object) -> str:
    return "—" if value is None else str(value)


def _top_by_revenue(con: duckdb.DuckDBPyConnection, money: Money) -> go.Figure | str:
    rfm = "left join marts.customer_rfm r using (customer_id)" if has_table(con, "marts.customer_rfm") else ""
    segment = "r.segment" if rfm else "null"
    rows = con.execute(
        f"select {_person(con)}, c.net_revenue::double, c.orders, c.last_order_at::date, {segment}"
        f" from marts.customers c {rfm} where c.orders > 0"
        f" order by c.net_revenue desc, c.customer_id limit {TOP}"
    ).fetchall()
    if not rows:
        return "Not available: no customer has ordered yet."
    header = ["customer", "may e-mail", "net revenue", "orders", "last order", "RFM segment"]
    return _table(header, rows, [_text, _yes, _amount(money), money.number, _text, _text])


def _top_by_contribution(con: duckdb.DuckDBPyConnection, money: Money) -> go.Figure | str:
    if not has_table(con, "marts.customer_profitability"):
        return "Not available: marts.customer_profitability is not published yet."
    rows = con.execute(
        f"select {_person(con)}, p.contribution::double, p.net_sales::double"
        " from marts.customer_profitability p join marts.customers c using (customer_id)"
        f" order by p.contribution desc, c.customer_id limit {TOP}"
    ).fetchall()
    header = ["customer", "may e-mail", "contribution", "net sales"]
    return _table(header, rows, [_text, _yes, _amount(money), _amount(money)])


def _slipping_away(con: duckdb.DuckDBPyConnection, money: Money) -> go.Figure | str:
    """RFM 'At Risk' and 'Cannot Lose Them', and lifecycle win-back candidates, most valuable first."""
    if not has_table(con, "marts.customer_rfm"):
        return "Not available: marts.customer_rfm is not published yet."
    lifecycle = has_table(con, "marts.customer_lifecycle") and "is_win_back_candidate" in _columns(
        con, "marts.customer_lifecycle"
    )
    join = "left join marts.customer_lifecycle l using (customer_id)" if lifecycle else ""
    win_back = "coalesce(l.is_win_back_candidate, false)" if lifecycle else "false"
    rows = con.execute(
        f"""
        select {_person(con)},
            concat_ws(', ',
                case when r.segment in ('At Risk', 'Cannot Lose Them') then 'RFM: ' || r.segment end,
                case when {win_back} then 'win-back (lapsed or churned, profitable)' end) as why,
            c.net_revenue::double, c.last_order_at::date
        from marts.customers c left join marts.customer_rfm r using (customer_id) {join}
        where r.segment in ('At Risk', 'Cannot Lose Them') or {win_back}
        order by c.net_revenue desc, c.customer_id limit {TOP}
        """
    ).fetchall()
    if not rows:
        return "Nobody is slipping away: no At Risk, Cannot Lose Them or win-back customers."
    header = ["customer", "may e-mail", "why", "net revenue", "last order"]
    return _table(header, rows, [_text, _yes, _text, _amount(money), _text])


def _loss_making(con: duckdb.DuckDBPyConnection, money: Money) -> go.Figure | str:
    """Negative contribution, the biggest losses first, with the cost that weighs most."""
    if not has_table(con, "marts.customer_profitability"):
        return "Not available: marts.customer_profitability is not published yet."
    costs = [f"p.{c}::double" for c in COSTS if c in _columns(con, "marts.customer_profitability")]
    if costs:
        top = f"greatest({', '.join(costs)})"
        names = " ".join(f"when {c} then '{c[2:-8].replace('_', ' ')}'" for c in costs)
        dominant, share = f"case {top} {names} end", f"{top} / nullif({' + '.join(costs)}, 0)"
    else:
        dominant, share = "null", "null"
    rows = con.execute(
        f"select {_person(con)}, p.contribution::double, p.net_sales::double, {dominant}, {share}"
        " from marts.customer_profitability p join marts.customers c using (customer_id)"
        f" where p.contribution < 0 order by p.contribution, c.customer_id limit {TOP}"
    ).fetchall()
    if not rows:
        return "Nobody costs more than they earn."
    header = ["customer", "may e-mail", "contribution", "net sales", "largest cost", "its share of costs"]
    return _table(header, rows, [_text, _yes, _amount(money), _amount(money), _text, _percent])


def name_tables(con: duckdb.DuckDBPyConnection, money: Money) -> list[tuple[str, go.Figure | str]]:
    return [
        (f"Top {TOP} customers by net revenue", _top_by_revenue(con, money)),
        (
            f"Top {TOP} customers by contribution (what they leave after costs)",
            _top_by_contribution(con, money),
        ),
        (
            "Slipping away, most valuable first: At Risk, Cannot Lose Them, win-back",
            _slipping_away(con, money),
        ),
        (
            "Costing more than they earn, biggest loss first, and the cost that weighs most",
            _loss_making(con, money),
        ),
    ]
