"""The fits' long dot products in one BLAS thread, summed as OpenBLAS sums them on two.

OpenBLAS splits a dot product longer than 10,000 over its threads (one per core) and adds the
parts: on a 2-core machine `w @ v` is `(w[:h] @ v[:h]) + (w[h:] @ v[h:])` with h = ceil(n/2),
each part by the one-thread kernel. The fits call such a dot in every loss evaluation (~500 a
day at 1M), and the threads' hand-over and spinning between calls cost more than the products:
the fits' CPU was ~6x their one-thread CPU. Forcing one thread alone would sum in another order,
and the flat optimum then moves in the 4th digit (DECISIONLOG.md, helper i29small). So the fits
run with one BLAS thread (`one_blas_thread`) and `dot` adds the two halves itself: the floats of
a 2-core machine whatever the core count (before, the parameters depended on it; the one-thread
kernel still differs between CPU families, as every BLAS sum does).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
from threadpoolctl import threadpool_limits

ONE_THREAD_UP_TO = 10_000  # OpenBLAS's ddot never splits a product this short (kernel/x86_64/ddot.c)


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Every BLAS call inside runs in the calling thread (restored after)."""
    with threadpool_limits(limits=1, user_api="blas"):
        yield


def dot(w: np.ndarray, v: np.ndarray) -> float:
    """`w @ v` (1-D float64) as OpenBLAS computes it with two threads; inside `one_blas_thread`."""
    n = len(w)
    if n <= ONE_THREAD_UP_TO:
        return float(w @ v)
    half = (n + 1) // 2
    return float(0.0 + (w[:half] @ v[:half]) + (w[half:] @ v[half:]))
