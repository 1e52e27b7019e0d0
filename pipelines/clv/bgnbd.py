"""BG/NBD (Fader, Hardie & Lee 2005): repeat purchases and the chance a customer is still alive.

`modified=True` gives MBG/NBD (Batislam, Denizel & Filiztekin 2007): a customer may also
leave right after the first purchase, so one-time buyers are not certainly alive. The
formulas differ only by a shift of b + x by one, so one class serves both.

Closed forms from the paper, vectorised over arrays of (x, t_x, T): x repeat purchase
periods, t_x the time of the last one and T the time observed, all from the first purchase.
The fit maximises the paper's log-likelihood summed over the distinct (x, t_x, T) rows
weighted by how many customers share each one, so its cost follows the distinct rows,
not the customers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.special import betaln, gammaln, hyp2f1

from pipelines.clv.dot import dot, one_blas_thread
from pipelines.clv.errors import NotEnoughData
from pipelines.clv.optimise import minimise_positive

Array = np.ndarray


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    modified: bool = False

    @property
    def _shift(self) -> int:
        return 1 if self.modified else 0

    def _can_drop(self, x: Array) -> Array:
        return np.asarray(x > 0) | self.modified

    def log_likelihood(self, x: Array, tx: Array, T: Array) -> Array:
        """Per-row log-likelihood (the paper's equation 6, in logs to avoid overflow)."""
        rows = _Rows.of(x, tx, T)
        per_x, per_row = _log_likelihood_parts(self, rows)
        return per_x[rows.x[1]] + per_row

    def _dead_odds(self, x: Array, tx: Array, T: Array) -> Array:
        """a/(b+x-1) * ((alpha+T)/(alpha+t_x))^(r+x) where a drop-out is possible, else 0."""
        log_odds = (
            np.log(self.a)
            - np.log(np.maximum(self.b + x - 1 + self._shift, 1e-300))
            + (self.r + x) * (np.log(self.alpha + T) - np.log(self.alpha + tx))
        )
        return np.where(self._can_drop(x), np.exp(np.minimum(log_odds, 700.0)), 0.0)

    def p_alive(self, x: Array, tx: Array, T: Array) -> Array:
        return 1.0 / (1.0 + self._dead_odds(x, tx, T))

    def expected_purchases(self, t: float, x: Array, tx: Array, T: Array) -> Array:
        """E[purchases in (T, T+t] | x, t_x, T], the paper's equation 10."""
        (each,) = self.expected_purchases_over((t,), x, tx, T)
        return each

    def expected_purchases_over(self, ts: Sequence[float], x: Array, tx: Array, T: Array) -> list[Array]:
        """`expected_purchases` for each horizon of `ts`, the same floats: the drop-out odds are
        taken once, and 2F1, which depends on (x, T) alone, once per distinct pair (13k of 268k
        combinations at 1M), then gathered."""
        r, alpha, a, b = self.r, self.alpha, self.a, self.b + self._shift
        x, T = np.asarray(x, dtype=np.float64), np.asarray(T, dtype=np.float64)
        pairs, at = np.unique(np.stack([x, T]), axis=1, return_inverse=True)
        xs, Ts, at = pairs[0], pairs[1], at.reshape(-1)
        alive = 1.0 + self._dead_odds(x, tx, T)
        found = []
        for t in ts:
            z = t / (alpha + Ts + t)
            # ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z) after Euler's transformation
            # 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A,C-B;C;z): the same value, without the overflow
            # of 2F1 at large x (its first two arguments no longer grow with x)
            tail = ((1 - z) ** (a - 1) * hyp2f1(a + b - 1 - r, a - 1, a + b + xs - 1, z))[at]
            body = 1.0 - tail
            found.append((a + b + x - 1) / (a - 1) * body / alive)
        return found


Distinct = tuple[Array, Array]  # a column's distinct values and, per row, the index of its value


@dataclass(frozen=True)
class _Rows:
    """The rows of a fit, each column also as its distinct values: x, t_x and T take a few hundred
    values over 10^5-10^6 rows, so a function of one column alone is evaluated once per value and
    gathered, the same floats as per row at a fraction of the cost (the fit's loss runs ~150 times)."""

    x: Distinct
    tx: Distinct
    T: Distinct
    x_rows: Array

    @classmethod
    def of(cls, x: Array, tx: Array, T: Array) -> _Rows:
        x, tx, T = (np.asarray(v, dtype=np.float64) for v in (x, tx, T))
        x_, tx_, T_ = (np.unique(v, return_inverse=True) for v in (x, tx, T))
        return cls(x_, tx_, T_, x)


def _log_likelihood_parts(m: BgNbd, rows: _Rows) -> tuple[Array, Array]:
    """The terms that depend on x alone (one per distinct x, `xs[at] == x`), and the rest per row.

    Summing the first weighted by customers per x is what makes a fit on 10^5-10^6 rows cheap:
    the gamma and beta functions are evaluated a few dozen times per step, not once per row."""
    r, alpha, a, b, s = m.r, m.alpha, m.a, m.b, m._shift
    (xs, at), x = rows.x, rows.x_rows
    per_x = gammaln(r + xs) - gammaln(r) + r * np.log(alpha) + betaln(a, b + xs + s) - betaln(a, b)
    log_b = np.log(np.maximum(b + xs - 1 + s, 1e-300))[at]
    stay = -(r + x) * np.log(alpha + rows.T[0])[rows.T[1]]
    # "dropped out right after the last purchase": BG/NBD only after a repeat purchase
    log_tx = np.log(alpha + rows.tx[0])[rows.tx[1]]
    drop = np.where(m._can_drop(x), np.log(a) - log_b - (r + x) * log_tx, -np.inf)
    return per_x, np.logaddexp(stay, drop)


@one_blas_thread()  # the same floats as two BLAS threads, without their hand-overs (dot.py)
def fit_bg_nbd(
    x: Array, tx: Array, T: Array, weight: Array, modified: bool = False, start: BgNbd | None = None
) -> tuple[BgNbd, float]:
    """Maximum-likelihood (r, alpha, a, b) and the total log-likelihood.

    Optimised over log-parameters (all four are positive) from the paper's neighbourhood
    of typical values (or `start`); `weight` is the number of customers sharing each (x, t_x, T)."""
    x, tx, T, weight = (np.asarray(v, dtype=np.float64) for v in (x, tx, T, weight))
    if weight.sum() == 0 or not (x > 0).any():
        raise NotEnoughData("BG/NBD needs customers with at least one repeat purchase")
    scale = float(np.average(T, weights=weight))  # alpha lives on the scale of T

    rows = _Rows.of(x, tx, T)
    per_x_weight, total = np.bincount(rows.x[1], weights=weight), float(weight.sum())

    def loss(theta: Array) -> float:
        r, alpha, a, b = np.exp(theta)
        per_x, per_row = _log_likelihood_parts(BgNbd(r, alpha, a, b, modified), rows)
        return -(dot(per_x_weight, per_x) + dot(weight, per_row)) / total

    guess = [0.5, max(scale / 10, 1e-3), 1.0, 2.0]
    if start is not None:  # a previous fit (the full history, for the calibration fit) saves iterations
        guess = [start.r, start.alpha, start.a, start.b]
    (r, alpha, a, b), fun = minimise_positive(loss, guess)
    model = BgNbd(r, alpha, a, b, modified)
    return model, -fun * float(weight.sum())
