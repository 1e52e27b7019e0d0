"""Purchase times stay exact whatever the customers before them drew (the generator at 3M+)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import cast

import numpy as np

from pipelines.generate.behaviour import purchases
from pipelines.generate.customers import Base
from pipelines.generate.timeline import Timeline

TIMELINE = Timeline.build(date(2024, 7, 1), date(2026, 6, 30))


def test_a_tiny_rate_before_a_customer_does_not_blur_their_purchase_times() -> None:
    """lambda ~ Gamma(0.5) has no finite mean of 1/lambda: at 3M customers one drew 2.6e-19. A
    running total of gaps over every customer then reached ~1e18, whose rounding step is hundreds
    of days, and every later customer's repeat times became noise (3M shop: 2.57 orders per
    customer against 1.92 at 1M). Customer 1 buys once a day for two years and never leaves."""
    start = np.int64(TIMELINE.start)
    base = cast(
        Base,
        SimpleNamespace(
            signup=np.array([start, start], dtype=np.int64),
            buys=np.array([True, True]),
            lam=np.array([1e-19, 1.0]),
            p_dropout=np.array([1e-9, 1e-9]),
        ),
    )
    bought = purchases(np.random.default_rng(7), base, TIMELINE)
    times = bought.at[bought.customer == 1]
    window = TIMELINE.op_end - TIMELINE.to_op(np.array([times[0]]))[0]
    assert abs(len(times) - window) < 6 * np.sqrt(window)  # a Poisson count of rate 1 per day
    assert (np.diff(times) > 0).mean() > 0.99  # distinct times, not one rounded instant
