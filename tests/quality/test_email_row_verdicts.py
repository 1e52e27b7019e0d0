"""The e-mail metric's per-row verdicts (computed once per distinct value, cached verdicts looked
up in one pass) equal the rule applied row by row: `is_valid_email(str(value))`, a cached verdict
deciding inside the gate, nulls invalid, rows in their order."""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from expectations.suites.valid_email import _row_verdicts, is_valid_email, known_verdicts

ADDRESSES = ["a@example.com", "B@Example.com", "not-an-address", "x@y", "", " c@d.org ", "é@exämple.de"]


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(st.sampled_from([*ADDRESSES, None]), max_size=30),
    cached=st.dictionaries(st.sampled_from(ADDRESSES), st.booleans()),
    dtype=st.sampled_from(["object", "string[pyarrow]"]),
    offset=st.integers(0, 5),
)
def test_row_verdicts_equal_the_rule_row_by_row(
    rows: list[str | None], cached: dict[str, bool], dtype: str, offset: int
) -> None:
    column = pd.Series(rows, dtype=dtype, name="email", index=range(offset, offset + len(rows)))
    with known_verdicts(cached):
        got = _row_verdicts(column)
        expected = [False if pd.isna(v) else is_valid_email(str(v)) for v in column]
    assert got.tolist() == expected
    assert got.dtype == bool and got.name == "email" and got.index.equals(column.index)


def test_a_cached_verdict_decides_over_the_validator() -> None:
    column = pd.Series(["not-an-address", "a@example.com", "not-an-address"])
    with known_verdicts({"not-an-address": True, "a@example.com": False}):
        assert _row_verdicts(column).tolist() == [True, False, True]
    assert _row_verdicts(column).tolist() == [False, True, False]
