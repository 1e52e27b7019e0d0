"""Custom expectation: column values are syntactically valid e-mail addresses.

A custom map expectation (rather than a pre-computed boolean column) so that the
unexpected examples GX reports are the offending addresses themselves. Verdicts of this
validator the caller already has (the export reads them from its cache in the warehouse,
pipelines/export/email_checks.py) are handed in with `known_verdicts(...)`: scoped to that
block and to the calling thread or task (a context variable), so two runs in one process never
see each other's verdicts and nothing outlives the gate; any other address is validated here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import email_validator
import numpy as np
import pandas as pd
import pyarrow as pa
from email_validator import EmailNotValidError, validate_email
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

from pipelines.email_shapes import certainly_valid

METRIC = "column_values.rapport_valid_email"
# What a cached verdict is keyed by besides the address: another version may judge otherwise.
VALIDATOR = f"email-validator {email_validator.__version__}, no DNS"
# address as written -> verdict of VALIDATOR, for the innermost `known_verdicts` block only.
# A context variable rather than a module dict: GX calls the metric with the column and its own
# kwargs only (verdicts passed as kwargs would be serialised into every validation result).
_KNOWN: ContextVar[Mapping[str, bool] | None] = ContextVar("rapport_known_email_verdicts", default=None)


@contextmanager
def known_verdicts(verdicts: Mapping[str, bool]) -> Iterator[None]:
    """`is_valid_email` takes these verdicts as given inside the block (this context only)."""
    token = _KNOWN.set(verdicts)
    try:
        yield
    finally:
        _KNOWN.reset(token)


def is_valid_email(value: str) -> bool:
    known = _KNOWN.get()
    if known is not None and (verdict := known.get(value)) is not None:
        return verdict
    return _validator_says(value)


def _validator_says(value: str) -> bool:
    # No DNS: the pipeline runs offline and deliverability is the CRM's job.
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def validated(values: list[str]) -> list[bool]:
    """VALIDATOR's verdict of each value (known verdicts not consulted): the plain shapes
    email_validator certainly accepts by one vectorised regex (pipelines/email_shapes.py), the
    rest by email_validator itself, one call an address."""
    try:
        sure = certainly_valid(pa.array(values, pa.string())).to_numpy(zero_copy_only=False)
    except UnicodeEncodeError:  # a lone surrogate: not UTF-8, so not for Arrow; all the slow way
        sure = np.zeros(len(values), dtype=bool)
    return [True if s else _validator_says(v) for v, s in zip(values, sure.tolist(), strict=True)]


def _row_verdicts(column: pd.Series) -> pd.Series:
    """`is_valid_email(str(value))` of every row, computed once per distinct value. One hash pass
    finds the distinct values and each row's position among them (a null is a value: its text is
    invalid), the known verdicts are looked up over a plain list, the rest are `validated`, and
    rows take their value's verdict: a cached gate at 1M (790k rows) 1.5 -> 0.7 s CPU against a
    verdict dict and `map`."""
    codes, uniques = pd.factorize(column, use_na_sentinel=False)
    values = uniques.tolist()
    found = list(map((_KNOWN.get() or {}).get, values))
    fresh = iter(validated([str(v) for v, f in zip(values, found, strict=True) if f is None]))
    verdicts = [next(fresh) if f is None else f for f in found]
    return pd.Series(np.array(verdicts, dtype=bool)[codes], index=column.index, name=column.name)


class ColumnValuesValidEmail(ColumnMapMetricProvider):
    condition_metric_name = METRIC

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        return _row_verdicts(column)


class ExpectColumnValuesToBeValidEmail(ColumnMapExpectation):
    """Expect each non-null value to be a well-formed address (email_validator, no DNS)."""

    map_metric = METRIC
    description = "values are well-formed e-mail addresses"
