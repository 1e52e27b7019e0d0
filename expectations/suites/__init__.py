"""Expectation suites as code.

Every expectation carries `meta["severity"]`: a failed `critical` expectation stops the
pipeline (pipelines.quality raises QualityGateFailed), a failed `warning` is reported only.
"""

from __future__ import annotations

from typing import Any, Literal

Severity = Literal["critical", "warning"]
CRITICAL: Severity = "critical"
WARNING: Severity = "warning"


def critical(why: str) -> dict[str, Any]:
    return {"severity": CRITICAL, "why": why}


def warning(why: str) -> dict[str, Any]:
    return {"severity": WARNING, "why": why}
