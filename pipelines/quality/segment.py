"""Gate the outgoing segment lists right before they are written for the CRMs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from expectations.suites.segment_export import DEFAULT_MAX_RATIO, DEFAULT_MIN_RATIO, build_suite
from pipelines.quality.context import gx_context
from pipelines.quality.report import persist
from pipelines.quality.result import SuiteResult
from pipelines.quality.runner import Session, run_suite


def validate_segments(
    lists: Iterable[tuple[str, pd.DataFrame, int | None]],
    quality_dir: Path,
    run_id: str,
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
    max_ratio: float = DEFAULT_MAX_RATIO,
    data_docs: bool = True,
) -> list[SuiteResult]:
    """Validate each list ((segment, frame with columns email, customer_id, is_marketable at
    least, the last successful export's size)), in order, in one GX context; data docs once.
    `lists` may be a generator: one list's frame is held at a time.

    A size of None or 0 means there is no baseline and the list's size is not checked.
    """
    run_dir = quality_dir / run_id
    session = Session(gx_context(run_dir))
    done: list[SuiteResult] = []
    try:
        for segment, frame, previous_count in lists:
            suite = build_suite(previous_count, min_ratio, max_ratio)
            done.append(
                run_suite(suite, frame, segment, run_id, run_dir, ("customer_id",), data_docs, session)
            )
    finally:  # what was validated is reported, also when a later list breaks GX
        if data_docs:
            session.build_docs()
        persisted = [persist(result, quality_dir) for result in done]
    return persisted


def validate_segment(
    frame: pd.DataFrame,
    segment: str,
    previous_count: int | None,
    quality_dir: Path,
    run_id: str,
    *,
    min_ratio: float = DEFAULT_MIN_RATIO,
    max_ratio: float = DEFAULT_MAX_RATIO,
    data_docs: bool = True,
) -> SuiteResult:
    """One list (see validate_segments)."""
    (result,) = validate_segments(
        [(segment, frame, previous_count)],
        quality_dir,
        run_id,
        min_ratio=min_ratio,
        max_ratio=max_ratio,
        data_docs=data_docs,
    )
    return result
