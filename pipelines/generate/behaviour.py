"""When customers buy: a BG/NBD process run in the timeline's operational time.

Each customer buys at rate lambda while alive and, after every purchase, leaves
for good with probability p. The first purchase follows the sign-up (often in
the same session); customers who never buy exist too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipelines.generate.customers import Base
from pipelines.generate.timeline import DAY, Timeline


@dataclass(frozen=True)
class Purchases:
    customer: np.ndarray  # customer index of each order
    at: np.ndarray  # epoch seconds of each order
    dropout_at: np.ndarray  # per customer: the purchase after which they left, -1 if none


def purchases(rng: np.random.Generator, base: Base, tl: Timeline) -> Purchases:
    n = len(base.signup)
    same_session = rng.random(n) < 0.55
    delay = np.where(same_session, rng.uniform(180, 2400, n), rng.exponential(6 * DAY, n))
    first_at = base.signup + delay.astype(np.int64)
    active = base.buys & (first_at < tl.end)
    u0 = tl.to_op(first_at)
    planned = rng.geometric(base.p_dropout)  # purchases before leaving, the first included
    # A Poisson count this far above its mean never happens in the window: stop drawing there.
    horizon = np.maximum(tl.op_end - u0, 0.0) * base.lam
    cap = np.ceil(horizon + 6 * np.sqrt(horizon) + 6).astype(np.int64)
    repeats = np.where(active, np.minimum(planned - 1, cap), 0)
    cust = np.repeat(np.arange(n), repeats)
    # One running total of the unit exponentials over every customer, scaled per group after the
    # group's start is taken off. Summing the gaps themselves (1/lambda, lambda ~ Gamma(0.5): no
    # finite mean) let one tiny lambda push the total to ~1e18 and turn every later customer's
    # purchase times into rounding noise above ~1M customers (DECISIONLOG, helper i19gen).
    cum = np.cumsum(rng.exponential(1.0, len(cust)))
    ends = np.cumsum(repeats)
    before = np.concatenate([[0.0], cum])[ends - repeats]  # running total before each group
    u = u0[cust] + (cum - np.repeat(before, repeats)) / base.lam[cust]
    keep = u < tl.op_end
    cust = cust[keep]
    repeat_at = np.maximum(tl.from_op(u[keep]), first_at[cust] + 60)
    first = np.flatnonzero(active)
    customer = np.concatenate([first, cust])
    at = np.concatenate([first_at[first], repeat_at])
    made = np.bincount(customer, minlength=n)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, customer, at)
    dropout_at = np.where(active & (made == planned), last, -1)
    order = np.lexsort((customer, at))
    return Purchases(customer[order], at[order], dropout_at)
