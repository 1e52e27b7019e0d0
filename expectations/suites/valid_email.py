"""Custom expectation: column values are syntactically valid e-mail addresses.

A custom map expectation (rather than a pre-computed boolean column) so that the
unexpected examples GX reports are the offending addresses themselves. `KNOWN` holds
verdicts of this validator the caller already has (the export reads them from its cache in
the warehouse, pipelines/export/email_checks.py); any other address is validated here once.
"""

from __future__ import annotations

from typing import Any

import email_validator
import pandas as pd
from email_validator import EmailNotValidError, validate_email
from great_expectations.execution_engine import PandasExecutionEngine
from great_expectations.expectations.expectation import ColumnMapExpectation
from great_expectations.expectations.metrics.map_metric_provider import (
    ColumnMapMetricProvider,
    column_condition_partial,
)

METRIC = "column_values.rapport_valid_email"
# What a cached verdict is keyed by besides the address: another version may judge otherwise.
VALIDATOR = f"email-validator {email_validator.__version__}, no DNS"
KNOWN: dict[str, bool] = {}  # address as written -> verdict of VALIDATOR


def is_valid_email(value: str) -> bool:
    if (known := KNOWN.get(value)) is not None:
        return known
    # No DNS: the pipeline runs offline and deliverability is the CRM's job.
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        KNOWN[value] = False
    else:
        KNOWN[value] = True
    return KNOWN[value]


class ColumnValuesValidEmail(ColumnMapMetricProvider):
    condition_metric_name = METRIC

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **kwargs: Any) -> pd.Series:
        # email_validator is pure Python: call it once per distinct value, then map.
        verdicts = {value: is_valid_email(str(value)) for value in column.unique()}
        return column.map(verdicts).astype(bool)


class ExpectColumnValuesToBeValidEmail(ColumnMapExpectation):
    """Expect each non-null value to be a well-formed address (email_validator, no DNS)."""

    map_metric = METRIC
    description = "values are well-formed e-mail addresses"
