"""Gamma-Gamma spend per purchase (Fader & Hardie, "The Gamma-Gamma Model of Monetary Value", 2013).

Each repeat purchase of a customer is Gamma(p, nu) with nu ~ Gamma(q, gamma) across
customers; fitted on repeat buyers only (x > 0, mean repeat value m_x > 0), independent
of the purchase process.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from pipelines.clv.dot import dot, one_blas_thread
from pipelines.clv.errors import NotEnoughData
from pipelines.clv.optimise import minimise_positive

Array = np.ndarray


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    gamma: float

    def log_likelihood(self, x: Array, m: Array) -> Array:
        """Log-density of the mean m_x of x purchases (the note's equation 3)."""
        p, q, g = self.p, self.q, self.gamma
        px = p * x
        return (
            gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(g + m * x)
        )  # fmt: skip

    def expected_value(self, x: Array, m: Array) -> Array:
        """E[value per purchase | x, m_x]; customers without repeats get the population mean."""
        p, q, g = self.p, self.q, self.gamma
        x = np.asarray(x, dtype=np.float64)
        m = np.where(x > 0, np.nan_to_num(np.asarray(m, dtype=np.float64)), 0.0)
        return (g + m * x) * p / (p * x + q - 1)


@one_blas_thread()  # the same floats as two BLAS threads, without their hand-overs (dot.py)
def fit_gamma_gamma(x: Array, m: Array) -> tuple[GammaGamma, float]:
    """Maximum-likelihood (p, q, gamma) on repeat buyers with positive mean repeat value."""
    x, m = np.asarray(x, dtype=np.float64), np.asarray(m, dtype=np.float64)
    keep = (x > 0) & (m > 0) & np.isfinite(m)
    x, m = x[keep], m[keep]
    if len(x) < 2:
        raise NotEnoughData("Gamma-Gamma needs at least two repeat buyers with a positive spend")

    # the log-likelihood split into what varies per distinct x and per row, and constant sums
    xs, at = np.unique(x, return_inverse=True)
    per_x, log_m = np.bincount(at).astype(np.float64), np.log(m)
    sum_x_log_xm, sum_log_m = dot(x, np.log(x) + log_m), float(log_m.sum())
    # each customer's total repeat spend m * x: prices repeat, so far fewer distinct totals than
    # rows (66k of 342k at 1M); the log is taken once per total and gathered, the same floats
    totals, at_total = np.unique(m * x, return_inverse=True)

    def loss(theta: Array) -> float:
        p, q, g = np.exp(theta)
        head = dot(per_x, gammaln(p * xs + q) - gammaln(p * xs)) - len(x) * (gammaln(q) - q * np.log(g))
        rows = p * sum_x_log_xm - sum_log_m - dot(p * x + q, np.log(g + totals)[at_total])
        return -(head + rows) / len(x)

    params, fun = minimise_positive(loss, [2.0, 3.0, float(np.mean(m))])
    model = GammaGamma(*params)
    return model, -fun * len(x)
