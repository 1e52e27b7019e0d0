"""BG/NBD and Gamma-Gamma against the papers' CDNOW results, and the closed forms against simulation."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd
from pipelines.clv.gamma_gamma import GammaGamma, fit_gamma_gamma
from tests.clv.cdnow import BG_NBD, BG_NBD_LL, GAMMA_GAMMA, cdnow_summary


@pytest.fixture(scope="module")
def cdnow():
    return cdnow_summary()


def test_cdnow_summary_is_the_papers_sample(cdnow) -> None:
    assert cdnow.height == 2357
    assert (cdnow["x"] > 0).sum() == 946
    assert cdnow["T"].max() == pytest.approx(38.86, abs=0.005)  # bought 1997-01-01, ends 1997-09-30


def test_log_likelihood_at_the_papers_estimates(cdnow) -> None:
    model = BgNbd(**BG_NBD)
    ll = model.log_likelihood(*(cdnow[c].to_numpy().astype(float) for c in ("x", "tx", "T"))).sum()
    assert ll == pytest.approx(BG_NBD_LL, abs=0.1)


def test_bg_nbd_fit_reproduces_the_paper_within_1pct(cdnow) -> None:
    combos = cdnow.group_by("x", "tx", "T").len()
    model, ll = fit_bg_nbd(combos["x"], combos["tx"], combos["T"], combos["len"])
    for name, expected in BG_NBD.items():
        assert getattr(model, name) == pytest.approx(expected, rel=0.01), name
    assert ll == pytest.approx(BG_NBD_LL, abs=0.1)
    # same fit from one row per customer: the weights are what make distinct rows enough
    single, single_ll = fit_bg_nbd(cdnow["x"], cdnow["tx"], cdnow["T"], np.ones(cdnow.height))
    assert single.r == pytest.approx(model.r, rel=1e-4) and single_ll == pytest.approx(ll, abs=1e-3)


def test_gamma_gamma_fit_reproduces_the_note_within_1pct(cdnow) -> None:
    model, _ = fit_gamma_gamma(cdnow["x"].to_numpy(), cdnow["m"].fill_null(0).to_numpy())
    for name, expected in GAMMA_GAMMA.items():
        assert getattr(model, name) == pytest.approx(expected, rel=0.01), name


def test_fit_refuses_data_without_repeat_purchases() -> None:
    with pytest.raises(ValueError, match="repeat purchase"):
        fit_bg_nbd(np.zeros(3), np.zeros(3), np.ones(3) * 10, np.ones(3))


def _simulate(model: BgNbd, t: float, n: int, rng: np.random.Generator) -> np.ndarray:
    """Purchases in (0, t] after a first purchase at 0, drawn from the individual-level story."""
    lam = rng.gamma(model.r, 1 / model.alpha, n)
    p = rng.beta(model.a, model.b, n)
    alive = ~(model.modified & (rng.random(n) < p))  # MBG/NBD may leave right after the first
    clock, count = np.zeros(n), np.zeros(n)
    for _ in range(400):
        clock += rng.exponential(1.0, n) / lam
        bought = alive & (clock <= t)
        count += bought
        alive = bought & (rng.random(n) >= p)
        if not alive.any():
            break
    return count


@pytest.mark.parametrize("modified", [False, True])
def test_expected_purchases_of_a_new_customer_match_simulation(modified: bool) -> None:
    model = BgNbd(0.5, 6.8, 1.4, 4.5, modified)
    simulated = _simulate(model, 52.0, 400_000, np.random.default_rng(7)).mean()
    predicted = float(model.expected_purchases(52.0, np.array([0.0]), np.array([0.0]), np.array([0.0]))[0])
    assert predicted == pytest.approx(simulated, rel=0.02)


def test_one_time_buyers_are_alive_under_bg_nbd_only() -> None:
    zero = np.array([0.0])
    assert BgNbd(0.5, 6.8, 1.4, 4.5).p_alive(zero, zero, np.array([50.0]))[0] == 1.0
    assert BgNbd(0.5, 6.8, 1.4, 4.5, modified=True).p_alive(zero, zero, np.array([50.0]))[0] < 1.0


@settings(max_examples=60, deadline=None)
@given(
    x=st.integers(0, 300),
    tx_share=st.floats(0, 1),
    T=st.floats(0, 600),
    modified=st.booleans(),
)
def test_predictions_are_probabilities_and_grow_with_the_horizon(
    x: int, tx_share: float, T: float, modified: bool
) -> None:
    model = BgNbd(0.243, 4.414, 0.793, 2.426, modified)
    xs, tx, Ts = np.array([float(x)]), np.array([T * tx_share if x else 0.0]), np.array([T])
    alive = model.p_alive(xs, tx, Ts)[0]
    assert 0.0 <= alive <= 1.0
    counts = [model.expected_purchases(h, xs, tx, Ts)[0] for h in (4.0, 13.0, 52.0)]
    assert np.all(np.isfinite(counts)) and 0.0 <= counts[0] <= counts[1] <= counts[2]
    assert np.isfinite(model.log_likelihood(xs, tx, Ts)[0])


def test_gamma_gamma_expected_value_shrinks_towards_the_population_mean() -> None:
    model = GammaGamma(**GAMMA_GAMMA)
    population = model.gamma * model.p / (model.q - 1)
    values = model.expected_value(np.array([0, 1, 10, 100]), np.array([np.nan, 100.0, 100.0, 100.0]))
    assert values[0] == pytest.approx(population)
    assert population < values[1] < values[2] < values[3] < 100.0
