from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from expectations.suites.segment_export import size_bounds
from expectations.suites.valid_email import is_valid_email
from pipelines.quality import validate_segment
from pipelines.quality.segment import validate_segments


def segment_list(n: int = 5) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [f"c{i}" for i in range(n)],
            "email": [f"person{i}@example.com" for i in range(n)],
            "first_name": ["Anu"] * n,
            "is_marketable": [True] * n,
        }
    )


def failures(frame: pd.DataFrame, tmp_path: Path, previous: int | None = None) -> set[tuple]:
    result = validate_segment(frame, "champions", previous, tmp_path / "q", "run-1", data_docs=False)
    assert result.warnings == ()
    return {(f.expectation, f.column) for f in result.critical_failures}


def test_clean_list_passes(tmp_path: Path) -> None:
    result = validate_segment(segment_list(), "champions", 5, tmp_path / "q", "run-1")
    assert result.success, result.summary_lines()
    assert (result.suite, result.batch, result.row_count) == ("segment_export", "champions", 5)
    assert (tmp_path / "q" / "run-1" / "segment_export.champions.json").exists()


def test_malformed_email_is_reported_with_the_address_and_customer(tmp_path: Path) -> None:
    frame = segment_list()
    frame.loc[2, "email"] = "person2@@example"
    result = validate_segment(frame, "champions", None, tmp_path / "q", "run-1", data_docs=False)
    [failure] = result.critical_failures
    assert failure.expectation == "expect_column_values_to_be_valid_email"
    assert failure.examples == ("'person2@@example' (customer_id='c2')",)


def test_duplicate_email_and_customer_fail(tmp_path: Path) -> None:
    frame = segment_list()
    frame.loc[3, "email"] = "person1@example.com"
    frame.loc[4, "customer_id"] = "c0"
    assert failures(frame, tmp_path) == {
        ("expect_column_values_to_be_unique", "email"),
        ("expect_column_values_to_be_unique", "customer_id"),
    }


@pytest.mark.parametrize("address", ["Person1@example.com", "person1@Example.COM"])
def test_unnormalised_email_fails_because_case_would_hide_duplicates(tmp_path: Path, address: str) -> None:
    frame = segment_list()
    frame.loc[1, "email"] = address
    assert failures(frame, tmp_path) == {("expect_column_values_to_match_regex", "email")}


@pytest.mark.parametrize("flag", [False, None])
def test_non_marketable_row_fails(tmp_path: Path, flag: bool | None) -> None:
    frame = segment_list().astype({"is_marketable": "object"})
    frame.loc[1, "is_marketable"] = flag
    expected = "expect_column_values_to_be_in_set" if flag is False else "not_be_null"
    [(expectation, column)] = failures(frame, tmp_path)
    assert column == "is_marketable" and expectation.endswith(expected)


@pytest.mark.parametrize(
    ("rows", "previous", "passes"),
    [(10, 100, True), (9, 100, False), (300, 100, True), (301, 100, False), (1, None, True)],
)
def test_list_size_is_bounded_by_the_previous_export(
    tmp_path: Path, rows: int, previous: int | None, passes: bool
) -> None:
    found = failures(segment_list(rows), tmp_path, previous)
    assert found == (set() if passes else {("expect_table_row_count_to_be_between", None)})


def test_size_bounds_round_inwards_and_zero_means_no_baseline(tmp_path: Path) -> None:
    assert size_bounds(7) == (1, 21)
    assert size_bounds(100, 0.5, 1.5) == (50, 150)
    assert failures(segment_list(40), tmp_path, previous=0) == set()


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("anu.sharma@example.com", True),
        ("ಅನು@ಉದಾಹರಣೆ.ಭಾರತ", True),  # internationalised local part and domain
        ("x@bücher.example", True),
        ("no-at-sign.example.com", False),
        ("two@@example.com", False),
        ("trailing-dot@example.com.", False),
        ("space in@example.com", False),
        ("", False),
    ],
)
def test_email_syntax(address: str, valid: bool) -> None:
    assert is_valid_email(address) is valid


def _pages(docs: Path) -> list[str]:
    """Data docs pages, run times (folder names) left out: they differ from run to run."""
    return sorted(
        "/".join(p for p in page.relative_to(docs).parts if not p[:8].isdigit())
        for page in docs.rglob("*.html")
    )


def test_lists_validated_together_give_each_lists_results_and_pages_with_one_docs_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from great_expectations.data_context.data_context.abstract_data_context import AbstractDataContext

    bad = segment_list(4)
    bad.loc[1, "email"] = "two@@example.com"
    lists = [("champions", segment_list(5), 5), ("win_back", bad, None), ("loyal", segment_list(2), 40)]
    alone = [validate_segment(f, name, n, tmp_path / "alone", "r") for name, f, n in lists]
    builds: list[object] = []
    real = AbstractDataContext._build_data_docs
    monkeypatch.setattr(
        AbstractDataContext, "_build_data_docs", lambda self, *a, **k: builds.append(k) or real(self, *a, **k)
    )
    together = validate_segments(lists, tmp_path / "together", "r")
    assert len(builds) == 1, "data docs built once for the three lists"
    assert [r.batch for r in together] == ["champions", "win_back", "loyal"]
    for one, other in zip(alone, together, strict=True):
        assert (one.suite, one.row_count, one.results) == (other.suite, other.row_count, other.results)
    assert [r.success for r in together] == [True, False, False]  # bad address; 2 rows of 40 last time
    pages = _pages(tmp_path / "together" / "r" / "data_docs")
    assert pages == _pages(tmp_path / "alone" / "r" / "data_docs")
    assert sum(p.startswith("validations/segment_export/r/") for p in pages) == 3
    # the suite's page shows the bounds of the last list validated, as when each overwrote it
    suite = [
        re.sub(
            r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|[0-9]{8}T[0-9]{6}[.][0-9]+Z",  # ids, run times
            "id",
            (run / "expectations/segment_export.html").read_text(),
        )
        for run in (tmp_path / "alone" / "r" / "data_docs", tmp_path / "together" / "r" / "data_docs")
    ]
    assert suite[0] == suite[1] and "120" in suite[1]  # loyal's upper bound: 3 x 40
