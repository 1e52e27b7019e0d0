"""Amounts written as shops write them parse back to the same decimal, or are refused."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.load import BatchRejected
from pipelines.load.numbers import SYMBOLS, Convention, detect_number, number_sql
from pipelines.load.schema import untyped

amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2, allow_nan=False)


def _group(digits: str, sep: str, indian: bool) -> str:
    """Python's own formatting of the test side: Western 1,234,567 or Indian 12,34,567."""
    if not sep or len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    size = 2 if indian else 3
    groups = []
    while head:
        groups.insert(0, head[-size:])
        head = head[:-size]
    return sep.join([*groups, tail])


def _written(
    value: Decimal, symbol: str, before: bool, space: str, sep: str, indian: bool, comma: bool
) -> str:
    whole, frac = f"{value:.2f}".split(".")
    number = _group(whole, sep, indian) + ("," if comma else ".") + frac
    return f"{symbol}{space}{number}" if before else f"{number}{space}{symbol}"


@settings(max_examples=150, deadline=None)
@given(
    value=amounts,
    symbol=st.sampled_from(["", *SYMBOLS]),
    before=st.booleans(),
    space=st.sampled_from(["", " ", "\u00a0"]),
    grouping=st.sampled_from(["western", "indian", "none"]),
)
def test_any_written_amount_parses_back(
    value: Decimal, symbol: str, before: bool, space: str, grouping: str
) -> None:
    sep = "" if grouping == "none" else ","
    text = _written(value, symbol, before, space, sep, grouping == "indian", comma=False)
    sql = number_sql("$v", Convention(".", ","))
    assert duckdb.execute(f"select ({sql})::decimal(18,2)", {"v": text}).fetchall() == [(value,)]
    european = _written(value, symbol, before, space, "." if sep else "", False, comma=True)
    sql = number_sql("$v", Convention(",", "."))
    assert duckdb.execute(f"select ({sql})::decimal(18,2)", {"v": european}).fetchall() == [(value,)]


def _column(values: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"create temp table {untyped('orders')} (amount varchar, _source_file varchar)")
    con.executemany(f"insert into {untyped('orders')} values (?, 'f.csv')", [[v] for v in values])
    return con


# drawn >= 1000 directly: filtering `amounts` discarded most draws (Hypothesis' filter_too_much)
grouped = st.decimals(min_value=1000, max_value=Decimal("99999999.99"), places=2, allow_nan=False)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(grouped, min_size=2, max_size=20), indian=st.booleans())
def test_a_column_of_grouped_amounts_is_detected_and_exact(values: list[Decimal], indian: bool) -> None:
    written = [_written(v, "₹", True, "", ",", indian, comma=False) for v in values]
    con = _column(written)
    (convention,) = detect_number(con, "orders", "amount", None, 0.01).values()
    sql = number_sql("amount", convention)
    assert [
        r[0] for r in con.execute(f"select ({sql})::decimal(18,2) from {untyped('orders')}").fetchall()
    ] == values


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=999), min_size=2, max_size=10), st.sampled_from([",", "."])
)
def test_only_three_digit_groups_are_refused_never_guessed(heads: list[int], sep: str) -> None:
    con = _column([f"{h}{sep}{h % 1000:03d}" for h in heads])
    with pytest.raises(BatchRejected, match="decimal_separator"):
        detect_number(con, "orders", "amount", None, 0.01)
