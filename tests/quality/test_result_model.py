from __future__ import annotations

from pipelines.quality import ExpectationOutcome, QualityGateFailed, SuiteResult


def outcome(success: bool, severity: str, column: str | None = "email") -> ExpectationOutcome:
    return ExpectationOutcome(
        expectation="expect_column_values_to_be_unique",
        column=column,
        success=success,
        severity=severity,  # type: ignore[arg-type]
        unexpected_count=None if success else 2,
        examples=() if success else ("'a@b.c' (customer_id='c1')",),
    )


def result(*outcomes: ExpectationOutcome) -> SuiteResult:
    return SuiteResult("segment_export", "win_back", "run-9", 12, outcomes, "/q/run-9/x.json")


def test_only_critical_failures_fail_the_gate() -> None:
    warned = result(outcome(True, "critical"), outcome(False, "warning"))
    assert warned.success and len(warned.warnings) == 1
    warned.raise_for_failures()  # does not raise
    failed = result(outcome(False, "critical"), outcome(False, "warning"))
    assert not failed.success and len(failed.critical_failures) == 1


def test_summary_and_error_message_are_actionable() -> None:
    failed = result(outcome(False, "critical"), outcome(False, "warning", column=None))
    lines = failed.summary_lines()
    assert lines[0] == "segment_export [win_back] FAILED: 12 rows, 2 expectations, 1 critical, 1 warning(s)"
    assert lines[1] == (
        "  CRITICAL email: column values to be unique — 2 row(s) outside; e.g. 'a@b.c' (customer_id='c1')"
        " [expect_column_values_to_be_unique]"
    )
    message = str(QualityGateFailed([failed, result(outcome(True, "critical"))]))
    assert "segment_export[win_back] expect_column_values_to_be_unique(email): 2 unexpected" in message
    assert "report: /q/run-9/index.html" in message
    assert message.count("expect_") == 1  # passing suites and warnings are not listed


def test_dict_round_trip() -> None:
    original = result(outcome(False, "critical"), outcome(True, "warning", column=None))
    assert SuiteResult.from_dict(original.to_dict()) == original
