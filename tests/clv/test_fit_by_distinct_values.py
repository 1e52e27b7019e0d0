"""The fits take a column's logs once per distinct value and gather them (helper i24small,
DECISIONLOG): the losses, and so the fitted parameters, are the per-row formulas' to the bit."""

from __future__ import annotations

import numpy as np
from scipy.special import betaln, gammaln

from pipelines.clv.bgnbd import BgNbd, fit_bg_nbd
from pipelines.clv.gamma_gamma import fit_gamma_gamma
from pipelines.clv.optimise import minimise_positive


def _rows(seed: int = 7, n: int = 3000) -> tuple[np.ndarray, ...]:
    """Whole days in weeks, so values repeat as in a shop; a few thousand (x, t_x, T) rows."""
    rng = np.random.default_rng(seed)
    T = rng.integers(1, 400, n) / 7
    x = np.minimum(rng.poisson(1.5, n), 20).astype(np.float64)
    tx = np.where(x > 0, np.floor(rng.uniform(0, 1, n) * T * 7) / 7, 0.0)
    return x, tx, T, rng.integers(1, 50, n).astype(np.float64)


def _bg_nbd_per_row(x, tx, T, w, modified):  # the paper's equation 6, every term per row
    s = 1 if modified else 0

    def loss(theta):
        r, alpha, a, b = np.exp(theta)
        head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x + s) - betaln(a, b)
        stay = -(r + x) * np.log(alpha + T)
        log_b = np.log(np.maximum(b + x - 1 + s, 1e-300))
        drop = np.where((x > 0) | modified, np.log(a) - log_b - (r + x) * np.log(alpha + tx), -np.inf)
        _, at = np.unique(x, return_inverse=True)  # the head summed per x, as the fit sums it
        per_x = np.bincount(at, weights=w) @ head[np.unique(at, return_index=True)[1]]
        return -float(per_x + w @ np.logaddexp(stay, drop)) / float(w.sum())

    return loss


def test_bg_nbd_fit_equals_the_per_row_likelihoods_fit_to_the_bit() -> None:
    x, tx, T, w = _rows()
    for modified in (False, True):
        model, _ = fit_bg_nbd(x, tx, T, w, modified)
        scale = float(np.average(T, weights=w))
        reference, _ = minimise_positive(_bg_nbd_per_row(x, tx, T, w, modified), [0.5, scale / 10, 1.0, 2.0])
        assert [model.r, model.alpha, model.a, model.b] == reference
        assert model == BgNbd(*reference, modified)


def test_gamma_gamma_fit_equals_the_per_row_likelihoods_fit_to_the_bit() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, 4000).astype(np.float64)
    # prices from a short list, so totals repeat as in a shop; m is the mean repeat spend
    totals = rng.choice([9.99, 19.5, 24.0, 49.9, 120.0], (4000, 5)).cumsum(axis=1)
    m = totals[np.arange(4000), x.astype(int) - 1] / x
    model, _ = fit_gamma_gamma(x, m)
    xs, at = np.unique(x, return_inverse=True)
    per_x, log_m = np.bincount(at).astype(np.float64), np.log(m)
    sum_x_log_xm, sum_log_m = float(x @ (np.log(x) + log_m)), float(log_m.sum())

    def loss(theta):
        p, q, g = np.exp(theta)
        head = per_x @ (gammaln(p * xs + q) - gammaln(p * xs)) - len(x) * (gammaln(q) - q * np.log(g))
        rows = p * sum_x_log_xm - sum_log_m - float((p * x + q) @ np.log(g + m * x))
        return -(head + rows) / len(x)

    reference, _ = minimise_positive(loss, [2.0, 3.0, float(np.mean(m))])
    assert [model.p, model.q, model.gamma] == reference


def test_expected_purchases_over_horizons_equal_the_per_row_formula_to_the_bit() -> None:
    """Scoring takes 2F1 once per distinct (x, T) and the drop-out odds once for all horizons
    (helper i29small); each horizon's values are equation 10's per row, bit for bit."""
    from scipy.special import hyp2f1

    x, tx, T, _ = _rows(seed=9, n=5000)
    for modified in (False, True):
        m = BgNbd(0.31, 5.6, 1.7, 7.7, modified)
        horizons = [30 / 7, 90 / 7, 365 / 7, 0.5, 52.1]
        found = m.expected_purchases_over(horizons, x, tx, T)
        for t, got in zip(horizons, found, strict=True):
            b = m.b + (1 if modified else 0)
            z = t / (m.alpha + T + t)
            tail = (1 - z) ** (m.a - 1) * hyp2f1(m.a + b - 1 - m.r, m.a - 1, m.a + b + x - 1, z)
            per_row = (m.a + b + x - 1) / (m.a - 1) * (1.0 - tail) / (1.0 + m._dead_odds(x, tx, T))
            assert np.array_equal(got, per_row)
            assert np.array_equal(m.expected_purchases(t, x, tx, T), per_row)
