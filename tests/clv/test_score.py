"""Scoring customers from fitted models: one value per (x, t_x, T), the x = 0 rules, discounting."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.clv.bgnbd import BgNbd
from pipelines.clv.gamma_gamma import GammaGamma
from pipelines.clv.score import score_customers

BG = BgNbd(0.243, 4.414, 0.793, 2.426)
GG = GammaGamma(6.25, 3.74, 15.44)


def _summary() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": ["a", "b", "c", "d", "e"],
            "frequency": [0, 2, 2, 3, 1],
            "recency_days": [0, 213, 213, 60, 10],
            "t_days": [272, 272, 272, 272, 0 + 30],
            # c repeats b's history with another spend; e's refunds exceeded its repeat sales
            "avg_repeat_value": [None, 20.0, 50.0, 35.0, -5.0],
        }
    )


def test_scores_follow_the_models_row_by_row() -> None:
    summary = _summary()
    got = score_customers(summary, BG, GG, "week", 0.0)
    x = summary["frequency"].to_numpy().astype(float)
    tx, T = summary["recency_days"].to_numpy() / 7, summary["t_days"].to_numpy() / 7
    value = GG.expected_value(x, np.array([0.0, 20.0, 50.0, 35.0, 0.0]))
    expected = summary.with_columns(
        p_alive=pl.Series(BG.p_alive(x, tx, T)),
        expected_purchases_30d=pl.Series(BG.expected_purchases(30 / 7, x, tx, T)),
        expected_purchases_90d=pl.Series(BG.expected_purchases(90 / 7, x, tx, T)),
        expected_purchases_365d=pl.Series(BG.expected_purchases(365 / 7, x, tx, T)),
        expected_value_per_purchase=pl.Series(value),
        # undiscounted, the 12 monthly increments add up to the 365-day count
        clv_12m=pl.Series(BG.expected_purchases(365 / 7, x, tx, T) * value),
    )
    assert_frame_equal(got.sort("customer_id"), expected, check_exact=False, rel_tol=1e-9)


def test_no_repeat_purchase_gets_the_population_values_not_nulls() -> None:
    got = score_customers(_summary(), BG, GG, "week", 0.1).filter(pl.col("customer_id") == "a")
    assert got.null_count().select(pl.sum_horizontal(pl.all())).item() == 1  # only avg_repeat_value
    assert got["p_alive"].item() == 1.0
    assert got["expected_value_per_purchase"].item() == pytest.approx(GG.gamma * GG.p / (GG.q - 1))


def test_discounting_lowers_clv_and_time_units_agree() -> None:
    summary = _summary()
    flat = score_customers(summary, BG, GG, "week", 0.0)["clv_12m"]
    discounted = score_customers(summary, BG, GG, "week", 0.2)["clv_12m"]
    assert (discounted < flat).all() and (discounted > flat / 1.2).all()
    in_days = BgNbd(BG.r, BG.alpha * 7, BG.a, BG.b)
    assert_frame_equal(
        score_customers(summary, in_days, GG, "day", 0.1), score_customers(summary, BG, GG, "week", 0.1),
        check_exact=False, rel_tol=1e-9,
    )  # fmt: skip
