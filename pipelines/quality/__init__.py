"""Data quality gates (Great Expectations 1.x) for incoming batches and outgoing lists.

Importing GX takes ~10 s, so the validators are imported lazily: a DAG file can import
`QualityGateFailed` or `SuiteResult` from here without paying for it at parse time.
"""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, Any

# Offline: GX must never phone home. Set here, in the package every GX import goes through,
# so it precedes the first `import great_expectations` whichever submodule is imported first.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from pipelines.quality.deferred import defer
from pipelines.quality.result import ExpectationOutcome, QualityGateFailed, SuiteResult

# GX's KL-divergence expectation imports these at start-up; no suite of ours uses them (deferred.py)
for _unused in ("scipy.stats", "altair"):
    defer(_unused)

if TYPE_CHECKING:
    from pipelines.quality.incoming import gate_incoming_batch, validate_incoming, validate_incoming_batch
    from pipelines.quality.report import write_index
    from pipelines.quality.segment import validate_segment
    from pipelines.quality.store import append_results

_LAZY = {
    "validate_incoming": "pipelines.quality.incoming",
    "validate_incoming_batch": "pipelines.quality.incoming",
    "gate_incoming_batch": "pipelines.quality.incoming",
    "validate_segment": "pipelines.quality.segment",
    "append_results": "pipelines.quality.store",
    "write_index": "pipelines.quality.report",
}

__all__ = [
    "ExpectationOutcome",
    "QualityGateFailed",
    "SuiteResult",
    "append_results",
    "gate_incoming_batch",
    "validate_incoming",
    "validate_incoming_batch",
    "validate_segment",
    "write_index",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
