"""The segment gate: every eligible list through the segment suite, before anything is written."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.export.config import ExportConfig
from pipelines.quality.result import QualityGateFailed

if TYPE_CHECKING:
    from pipelines.export.email_checks import EmailChecks


def gate(
    config: ExportConfig,
    kept: dict[str, pl.DataFrame],
    baselines: dict[str, int | None],
    quality_dir: Path,
    run_id: str,
    data_docs: bool,
    warehouse: Path,
) -> EmailChecks:
    """Validate each segment once (whatever the number of destinations it goes to)."""
    # Imported here: GX takes seconds to import and DAG files import this module.
    from pipelines.export.email_checks import checked_emails
    from pipelines.quality.segment import validate_segments

    lists = (  # a generator: one list in pandas at a time
        (
            name,
            frame.select("customer_id", "email", "is_marketable").to_pandas(),
            baselines[name] if config.size_check(name) else None,
        )
        for name, frame in kept.items()
    )
    with checked_emails(warehouse, kept.values()) as checks:
        results = validate_segments(lists, quality_dir, run_id, data_docs=data_docs)
    if not all(r.success for r in results):
        raise QualityGateFailed(results)
    return checks
