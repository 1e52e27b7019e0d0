"""What a suite run found, in a form the pipeline, the report and the warehouse share."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["critical", "warning"]


@dataclass(frozen=True)
class ExpectationOutcome:
    expectation: str  # GX expectation type, e.g. expect_column_values_to_be_unique
    column: str | None  # None for table-level expectations
    success: bool
    severity: Severity
    unexpected_count: int | None = None  # None when not a per-row check or not evaluable
    examples: tuple[str, ...] = ()
    error: str | None = None  # GX could not evaluate it (e.g. the column is missing)
    why: str | None = None  # the suite's reason for the check, in words
    expected: str | None = None  # the bounds, e.g. "at least 1", "between 0 and 500000"
    observed: str | None = None  # the batch's value for aggregate checks, e.g. "0"

    def plain(self) -> str:
        """For people: what was checked, the bounds and what the batch had."""
        subject = self.column or "table"
        check = self.why or self.expectation.removeprefix("expect_").replace("_", " ")
        found = []
        if self.observed is not None:
            found.append(f"observed {self.observed}")
        if self.unexpected_count:
            found.append(f"{self.unexpected_count:,} row(s) outside")
        if self.expected:
            found.append(f"expected {self.expected}")
        if self.examples and self.observed is None:
            found.append("e.g. " + ", ".join(self.examples[:3]))
        if self.error:
            found.append(f"could not check: {self.error}")
        return f"{subject}: {check} — {'; '.join(found) or 'failed'} [{self.expectation}]"

    def describe(self) -> str:
        where = f"({self.column})" if self.column else ""
        found = "" if self.unexpected_count is None else f": {self.unexpected_count} unexpected"
        detail = f" [{self.error}]" if self.error else ""
        examples = f"; e.g. {', '.join(self.examples)}" if self.examples else ""
        return f"{self.expectation}{where}{found}{detail}{examples}"


@dataclass(frozen=True)
class SuiteResult:
    suite: str
    batch: str  # what was validated: "incoming.orders", "champions", ...
    run_id: str
    row_count: int
    results: tuple[ExpectationOutcome, ...] = ()
    report: str | None = None  # where the persisted JSON lives, for the error message

    @property
    def critical_failures(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.results if not r.success and r.severity == "critical")

    @property
    def warnings(self) -> tuple[ExpectationOutcome, ...]:
        return tuple(r for r in self.results if not r.success and r.severity == "warning")

    @property
    def success(self) -> bool:
        """The gate passes when no critical expectation failed; warnings do not block."""
        return not self.critical_failures

    def summary_lines(self) -> list[str]:
        """The one text rendering of a suite run: the task log and `rapport quality` print it."""
        verdict = "passed" if self.success else "FAILED"
        lines = [
            f"{self.suite} [{self.batch}] {verdict}: {self.row_count:,} rows, "
            f"{len(self.results)} expectations, {len(self.critical_failures)} critical, "
            f"{len(self.warnings)} warning(s)"
        ]
        for label, failures in (("CRITICAL", self.critical_failures), ("warning ", self.warnings)):
            lines += [f"  {label} {f.plain()}" for f in failures]
        return lines

    def raise_for_failures(self) -> None:
        if not self.success:
            raise QualityGateFailed([self])

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "success": self.success}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SuiteResult:
        outcomes = tuple(
            ExpectationOutcome(**{**r, "examples": tuple(r["examples"])}) for r in data["results"]
        )
        fields = {k: data[k] for k in ("suite", "batch", "run_id", "row_count", "report")}
        return cls(**fields, results=outcomes)


class QualityGateFailed(Exception):
    """Raised when a critical expectation failed; the message says what to fix where."""

    def __init__(self, results: Iterable[SuiteResult]) -> None:
        self.results = tuple(r for r in results if not r.success)
        lines = ["quality gate failed (critical expectations):"]
        lines += [
            f"  {result.suite}[{result.batch}] {failure.describe()}"
            for result in self.results
            for failure in result.critical_failures
        ]
        reports = sorted({str(Path(r.report).parent / "index.html") for r in self.results if r.report})
        lines += [f"  report: {report}" for report in reports]
        super().__init__("\n".join(lines))
