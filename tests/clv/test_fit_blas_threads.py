"""The fits' dot products run in one BLAS thread and add the halves as OpenBLAS does on two
(pipelines/clv/dot.py, helper i29small): the same floats as a 2-core machine's, whatever the
number of BLAS threads the process has."""

from __future__ import annotations

import os

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from pipelines.clv.bgnbd import fit_bg_nbd
from pipelines.clv.dot import dot, one_blas_thread
from pipelines.clv.gamma_gamma import fit_gamma_gamma


# OpenBLAS never starts more threads than cores: on one core there is no two-thread product to match
@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="OpenBLAS runs one thread on one core")
def test_dot_is_the_two_thread_openblas_product_to_the_bit() -> None:
    rng = np.random.default_rng(11)
    for n in (3, 9_999, 10_000, 10_001, 20_001, 267_757, 341_727):
        w, v = rng.integers(1, 50, n).astype(np.float64), rng.normal(size=n)
        with threadpool_limits(limits=2, user_api="blas"):
            two = float(w @ v)
        with one_blas_thread():
            assert dot(w, v) == two, n


def _rows(n: int, seed: int = 5) -> tuple[np.ndarray, ...]:
    """More (x, t_x, T) rows than OpenBLAS computes in one thread (10,000)."""
    rng = np.random.default_rng(seed)
    T = rng.integers(1, 700, n) / 7
    x = np.minimum(rng.poisson(1.5, n), 30).astype(np.float64)
    tx = np.where(x > 0, np.floor(rng.uniform(0, 1, n) * T * 7) / 7, 0.0)
    return x, tx, T, rng.integers(1, 50, n).astype(np.float64)


def test_the_fits_do_not_depend_on_the_blas_threads() -> None:
    """Before, the loss's `w @ v` summed in as many parts as BLAS had threads (cores): the
    parameters differed between a 1-, a 2- and a 4-core machine (in the 4th digit at 100k)."""
    x, tx, T, w = _rows(40_000)
    rng = np.random.default_rng(2)
    gx = rng.integers(1, 6, 40_000).astype(np.float64)
    gm = rng.choice([9.99, 19.5, 24.0, 49.9, 120.0, 7.25], 40_000) * rng.uniform(0.5, 2.0, 40_000)
    fitted = []
    for threads in (1, 2, 4):
        with threadpool_limits(limits=threads, user_api="blas"):
            fitted.append((fit_bg_nbd(x, tx, T, w), fit_gamma_gamma(gx, gm)))
    assert fitted[0] == fitted[1] == fitted[2]
