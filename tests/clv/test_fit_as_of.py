"""fit_clv's `fitted_at` is the instant the fit is as of, not the clock: a rerun of a day writes
the same CLV parameters table, and so the same served Parquet, byte for byte."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

import pipelines.clv as clv
from pipelines import stages


def test_a_rerun_fits_with_the_same_timestamp_the_as_of_instant(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[date, datetime]] = []

    def fit(warehouse: Path, as_of: date, rate: float, fitted_at: datetime, model: str) -> list[str]:
        seen.append((as_of, fitted_at))
        return []

    monkeypatch.setattr(clv, "fit_clv", fit)
    stages.fit_clv("2026-07-01")
    stages.fit_clv("2026-07-01")  # the same day again, as a rerun or a backfill would
    # the data it fits is every order before the as-of date: the instant 2026-07-01 00:00 (UTC)
    assert seen == [(date(2026, 7, 1), datetime(2026, 7, 1))] * 2
