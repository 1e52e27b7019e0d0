"""Parameter recovery on the generator's own shop, whose purchases follow known parameters.

The generator draws each customer's rate lambda ~ Gamma and drop-out probability p ~ Beta
(times channel multipliers) and lets a customer leave after any purchase, the first included:
that is MBG/NBD (Batislam et al. 2007), so MBG/NBD is what must recover them. The reference
is the Gamma and Beta maximum-likelihood fit of the realised per-customer values in
`_truth/customer_params.parquet` (buyers only). The summary is computed here from the landing
orders (calendar days, one purchase per customer-day), not through the DAG, to keep it fast.

Tolerance at 8,000 customers (~6,400 buyers): the means of lambda and p within 12%, each of
r, alpha, a, b within 25% (a and b are the least determined; benchmarks/clv_scale.py checks
100k customers within 10%).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
import scipy.stats

from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd
from pipelines.generate import generate_shop


def truth_population(shop: Path) -> BgNbd:
    buyers = pl.read_parquet(shop / "_truth" / "customer_params.parquet").filter(pl.col("orders") > 0)
    r, _, scale = scipy.stats.gamma.fit(buyers["lambda"].to_numpy() * 7, floc=0)  # per week
    a, b, _, _ = scipy.stats.beta.fit(buyers["p_dropout"].to_numpy(), floc=0, fscale=1)
    return BgNbd(r, 1 / scale, a, b, modified=True)


def landing_summary(shop: Path) -> pl.DataFrame:
    end = date.fromisoformat(json.loads((shop / "_truth" / "summary.json").read_text())["end_date"])
    days = duckdb.sql(
        f"""
        select customer_id, cast(ordered_at as date) as day
        from read_csv('{shop}/orders/**/*.csv', union_by_name = true)
        where coalesce(status, '') <> 'cancelled' and ordered_at < date '{end + timedelta(days=1)}'
        group by all
        """
    ).pl()
    return days.group_by("customer_id").agg(
        x=pl.len() - 1,
        tx=(pl.col("day").max() - pl.col("day").min()).dt.total_days() / 7,
        T=(pl.lit(end) - pl.col("day").min()).dt.total_days() / 7,
    )


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("shop")
    generate_shop(out, customers=8000, seed=3)
    return out


def test_mbg_nbd_recovers_the_generators_population(shop: Path) -> None:
    truth = truth_population(shop)
    combos = landing_summary(shop).group_by("x", "tx", "T").len()
    fit, _ = fit_bg_nbd(combos["x"], combos["tx"], combos["T"], combos["len"], modified=True)
    assert fit.r / fit.alpha == pytest.approx(truth.r / truth.alpha, rel=0.12)
    assert fit.a / (fit.a + fit.b) == pytest.approx(truth.a / (truth.a + truth.b), rel=0.12)
    for name in ("r", "alpha", "a", "b"):
        assert getattr(fit, name) == pytest.approx(getattr(truth, name), rel=0.25), name


def test_bg_nbd_on_the_same_shop_is_biased_as_expected(shop: Path) -> None:
    """BG/NBD assumes nobody leaves after the first purchase; here a share p does, so it sees
    fewer repeat purchases and a lower rate: the test that would catch a generator change."""
    truth = truth_population(shop)
    combos = landing_summary(shop).group_by("x", "tx", "T").len()
    fit, _ = fit_bg_nbd(combos["x"], combos["tx"], combos["T"], combos["len"])
    assert fit.r / fit.alpha < 0.9 * truth.r / truth.alpha
    assert np.isfinite(fit.a) and fit.a > 0
