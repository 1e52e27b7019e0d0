"""The one optimiser set-up of both CLV fits: L-BFGS-B over log-parameters, all positive."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

# exp(+-12) spans every parameter seen on real data (1e-5 .. 1.6e5) and keeps exp() finite
BOUND = 12.0
OPTIONS = {"ftol": 1e-14, "gtol": 1e-9, "maxiter": 2000}


def minimise_positive(
    loss: Callable[[NDArray[np.float64]], float], guess: Sequence[float]
) -> tuple[list[float], float]:
    """The parameters minimising `loss(log(parameters))` from `guess`, and the loss there."""
    best = minimize(
        loss, np.log(guess), method="L-BFGS-B", bounds=[(-BOUND, BOUND)] * len(guess), options=OPTIONS
    )
    return [float(v) for v in np.exp(best.x)], float(best.fun)
