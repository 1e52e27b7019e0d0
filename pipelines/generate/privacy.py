"""The shop's do-not-contact list and right-to-erasure requests.

A real shop keeps both: complaints and hard bounces end up suppressed, and a
few people ask to be forgotten. They give the export's privacy path real work
in every demo run, not only in its own tests.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.customers import Base
from pipelines.generate.timeline import Timeline

SUPPRESSED_SHARE = 0.01
ERASED_SHARE = 0.003
REASONS = np.array(["complaint", "hard_bounce", "legal"])


def _pick(rng: np.random.Generator, pool: np.ndarray, share: float, n: int) -> np.ndarray:
    return np.sort(rng.choice(pool, size=min(len(pool), max(1, round(share * n))), replace=False))


def privacy_lists(rng: np.random.Generator, base: Base, tl: Timeline) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(suppressions, erasures), each dated between the account's sign-up and the end."""
    n = len(base.signup)
    suppressed = _pick(rng, np.arange(n), SUPPRESSED_SHARE, n)
    erased = _pick(rng, np.setdiff1d(np.arange(n), suppressed), ERASED_SHARE, n)

    def dated(idx: np.ndarray) -> np.ndarray:
        start = base.signup[idx]
        return start + (rng.random(len(idx)) * (tl.end - 1 - start)).astype(np.int64)

    ids, emails = base.ids, base.people["email"]

    # dates are text in the contract (kept as written, never parsed to delay a row);
    # `_at` keeps the epoch seconds the writer partitions by day
    def stamp(at: pl.Expr) -> pl.Expr:
        return pl.from_epoch(at, "s").dt.strftime("%Y-%m-%d %H:%M:%S")

    suppressions = pl.DataFrame(
        {
            # a do-not-contact list is typed by hand: the address as the person gave it, shouted
            "email": emails.gather(suppressed).str.to_uppercase(),
            "customer_id": ids.gather(suppressed),
            "phone": pl.Series([None] * len(suppressed), dtype=pl.String),
            "reason": REASONS[rng.integers(0, len(REASONS), len(suppressed))],
            "_at": dated(suppressed),
        }
    ).with_columns(stamp(pl.col("_at")).alias("suppressed_at"))
    erasures = pl.DataFrame(
        {
            "email": emails.gather(erased),
            "customer_id": ids.gather(erased),
            "phone": pl.Series([None] * len(erased), dtype=pl.String),
            "_at": dated(erased),
        }
    ).with_columns(stamp(pl.col("_at")).alias("requested_at"))
    return suppressions.sort("_at"), erasures.sort("_at")
