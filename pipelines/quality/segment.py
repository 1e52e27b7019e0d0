"""Gate an outgoing segment list right before it is written for the CRM."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from expectations.suites.segment_export import DEFAULT_MAX_RATIO, DEFAULT_MIN_RATIO, build_suite
from pipelines.quality.report import persist
from pipelines.quality.result import SuiteResult
from pipelines.quality.runner import run_suite


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
    """Validate one list (columns email, customer_id, is_marketable at least).

    The list size is bounded against `previous_count` (the last successful export); None or
    0 means there is no baseline and the size is not checked.
    """
    result = run_suite(
        build_suite(previous_count, min_ratio, max_ratio),
        frame,
        segment,
        run_id,
        quality_dir / run_id,
        index_columns=("customer_id",),
        data_docs=data_docs,
    )
    return persist(result, quality_dir)
