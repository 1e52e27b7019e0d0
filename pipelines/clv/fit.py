"""Fit the CLV models on marts.customer_clv_summary and write the CLV marts, in one transaction.

Writes marts.clv_model_parameters (one row per model and parameter), marts.customer_clv
(one row per customer) and marts.clv_holdout_validation (one row per calibration frequency
bucket). Time is measured in weeks inside the models (the papers' unit, and alpha then
lives near 1-100 whatever the shop); `time_unit` says so on every parameter row.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path

import polars as pl

from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd
from pipelines.clv.errors import NotEnoughData
from pipelines.clv.gamma_gamma import fit_gamma_gamma
from pipelines.clv.holdout import holdout_validation
from pipelines.clv.score import DAYS_PER_UNIT, KEY, score_customers
from pipelines.warehouse import connect

TIME_UNIT = "week"
SCORED = (
    "p_alive", "expected_purchases_30d", "expected_purchases_90d", "expected_purchases_365d",
    "expected_value_per_purchase", "clv_12m",
)  # fmt: skip
HOLDOUT = ("frequency_bucket", "customers", "actual_purchases", "predicted_purchases")

CUSTOMER_CLV = """
create or replace table marts.customer_clv as
select
    customer_id, frequency, recency_days, t_days, avg_repeat_value, purchase_unit,
    -- 6 decimals: what a rerun reproduces exactly and a CRM can show
    round(p_alive, 6) as p_alive, round(expected_purchases_30d, 6) as expected_purchases_30d,
    round(expected_purchases_90d, 6) as expected_purchases_90d,
    round(expected_purchases_365d, 6) as expected_purchases_365d,
    cast(round(expected_value_per_purchase, 2) as decimal(18, 2)) as expected_value_per_purchase,
    cast(round(clv_12m, 2) as decimal(18, 2)) as clv_12m,
    -- 10 = highest CLV; equal values go to the smaller customer_id first, as in customer_rfm
    cast(11 - ntile(10) over (order by clv_12m desc, customer_id asc) as integer) as clv_decile,
    cast($rate as double) as discount_rate,
    cast($as_of as date) as as_of_date
from scored
order by customer_id
"""


Fit = tuple[str, dict[str, float], int, float]  # model, parameters, customers, log-likelihood
PARAMETER_SCHEMA: dict[str, pl.DataType] = {
    "model": pl.String(), "parameter": pl.String(), "value": pl.Float64(), "time_unit": pl.String(),
    "n_customers": pl.Int64(), "log_likelihood": pl.Float64(), "as_of_date": pl.Date(),
    "fitted_at": pl.Datetime("us"),
}  # fmt: skip


def _parameters(fits: list[Fit], as_of: date, at: datetime) -> pl.DataFrame:
    rows = [
        {"model": model, "parameter": name, "value": value, "time_unit": TIME_UNIT,
         "n_customers": n, "log_likelihood": ll, "as_of_date": as_of, "fitted_at": at}
        for model, params, n, ll in fits
        for name, value in params.items()
    ]  # fmt: skip
    return pl.DataFrame(rows, schema=PARAMETER_SCHEMA)


def _params(bg: BgNbd) -> dict[str, float]:
    return {"r": bg.r, "alpha": bg.alpha, "a": bg.a, "b": bg.b}


def _fits(summary: pl.DataFrame, rate: float, model: str) -> tuple[list[Fit], pl.DataFrame, pl.DataFrame]:
    unit, modified = DAYS_PER_UNIT[TIME_UNIT], model == "mbg_nbd"
    # sorted: polars groups come in any order, and a different summation order moves the
    # optimum in the 7th digit, which would make a rerun's exports differ
    combos = summary.group_by(KEY).len().sort(KEY)
    bg, bg_ll = fit_bg_nbd(
        combos["frequency"].to_numpy(), combos["recency_days"].to_numpy() / unit,
        combos["t_days"].to_numpy() / unit, combos["len"].to_numpy(), modified,
    )  # fmt: skip
    repeat = summary.filter((pl.col("frequency") > 0) & (pl.col("avg_repeat_value") > 0))
    gg, gg_ll = fit_gamma_gamma(repeat["frequency"].to_numpy(), repeat["avg_repeat_value"].to_numpy())
    if gg.q <= 1:
        raise NotEnoughData(
            f"Gamma-Gamma q = {gg.q:.3f} <= 1 on {repeat.height} repeat buyers: no finite mean spend"
        )
    fits = [(model, _params(bg), summary.height, bg_ll), ("gamma_gamma", asdict(gg), repeat.height, gg_ll)]
    scored = score_customers(summary, bg, gg, TIME_UNIT, rate)
    # a tiny shop can fit degenerate parameters (a, b in the thousands on 37 customers) whose
    # 2F1 overflows: no scores then, as for too little data, rather than a NaN cast to money
    bad = scored.select(pl.col(SCORED).is_nan().any()).row(0)
    if any(bad):
        raise NotEnoughData(f"{model} scores not finite on {summary.height} customers ({bg})")
    holdout = pl.DataFrame(schema={c: pl.Float64 for c in HOLDOUT})
    cal = summary.filter(pl.col("in_calibration"))
    if cal.height and (cal["calibration_frequency"] > 0).any():
        cal_bg, cal_ll, holdout = holdout_validation(summary, unit, modified, bg)
        fits.append((f"{model}_calibration", _params(cal_bg), cal.height, cal_ll))
    return fits, scored, holdout


def fit_clv(
    warehouse: Path, as_of: date, annual_discount_rate: float, fitted_at: datetime, model: str = "bg_nbd"
) -> list[str]:
    """Read the summary, fit, score and replace the three CLV marts; returns log lines.

    `model` is 'bg_nbd' (the default, Fader, Hardie & Lee 2005) or 'mbg_nbd' (one-time
    buyers may have left too; the generator's process, see DECISIONLOG.md)."""
    with connect(warehouse) as con:
        summary = con.sql("select * from marts.customer_clv_summary order by customer_id").pl()
        try:
            fits, scored, holdout = _fits(summary, annual_discount_rate, model)
            lines = [
                f"clv: {model} on {n:,} customers, log-likelihood {ll:,.1f}: "
                + ", ".join(f"{k}={v:.4g}" for k, v in params.items())
                for model, params, n, ll in fits
            ]
        except NotEnoughData as why:
            # a young or tiny shop: no scores rather than made-up ones; the run goes on and the
            # CLV segments and report sections are empty until the data allows a fit
            fits, lines = [], [f"clv: not fitted on {summary.height:,} customers: {why}"]
            scored = summary.clear().with_columns(pl.lit(None, pl.Float64).alias(c) for c in SCORED)
            holdout = pl.DataFrame(schema={c: pl.Float64 for c in HOLDOUT})
        params = _parameters(fits, as_of, fitted_at)
        scored = scored.select("customer_id", *[c for c in summary.columns if c in KEY],
                               "avg_repeat_value", "purchase_unit", *SCORED)  # fmt: skip
        con.execute("begin")
        con.register("scored", scored.to_arrow())
        con.execute(CUSTOMER_CLV, {"rate": annual_discount_rate, "as_of": as_of})
        con.register("params", params.to_arrow())
        con.execute("create or replace table marts.clv_model_parameters as select * from params")
        con.register("holdout", holdout.to_arrow())
        con.execute(
            "create or replace table marts.clv_holdout_validation as select "
            "cast(frequency_bucket as integer) as frequency_bucket, cast(customers as bigint) as customers, "
            "cast(actual_purchases as bigint) as actual_purchases, predicted_purchases, "
            "actual_purchases / customers as actual_mean, predicted_purchases / customers as predicted_mean, "
            "cast($as_of as date) as as_of_date from holdout order by frequency_bucket",
            {"as_of": as_of},
        )
        con.execute("commit")
    return [*lines, f"clv: scored {scored.height:,} customers; holdout buckets {holdout.height}"]
