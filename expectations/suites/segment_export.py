"""Suite for an outgoing segment list, validated just before it is written for the CRM.

Everything is critical: a list that reaches a CRM is acted upon (e-mails are sent), so
a bad address, a duplicate, a non-consenting person or a list that suddenly collapsed
or exploded must stop the export rather than be noticed afterwards.
"""

from __future__ import annotations

import math

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites import critical, warning
from expectations.suites.valid_email import ExpectColumnValuesToBeValidEmail

SUITE_NAME = "segment_export"
# A list shrinking below 10% or growing beyond 300% of the last export is far more often
# a broken join or consent filter upstream than a real change in the customer base.
DEFAULT_MIN_RATIO = 0.1
DEFAULT_MAX_RATIO = 3.0


def size_bounds(
    previous_count: int, min_ratio: float = DEFAULT_MIN_RATIO, max_ratio: float = DEFAULT_MAX_RATIO
) -> tuple[int, int]:
    return math.ceil(previous_count * min_ratio), math.floor(previous_count * max_ratio)


def build_suite(
    previous_count: int | None = None,
    min_ratio: float = DEFAULT_MIN_RATIO,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> gx.ExpectationSuite:
    """`previous_count` None or 0 means no baseline (first export): size is not bounded."""
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(column="email", meta=critical("email is the CRM key")),
        ExpectColumnValuesToBeValidEmail(column="email", meta=critical("CRM rejects the file")),
        # Uniqueness is case-sensitive while CRMs match addresses case-insensitively, so the
        # key must arrive normalised (the segment models trim and lower-case it).
        gxe.ExpectColumnValuesToMatchRegex(
            column="email", regex=r"^[^\sA-Z]+$", meta=critical("email trimmed and lower-case")
        ),
        gxe.ExpectColumnValuesToBeUnique(column="email", meta=critical("email is the CRM key")),
        gxe.ExpectColumnValuesToNotBeNull(column="customer_id", meta=critical("traceability")),
        gxe.ExpectColumnValuesToBeUnique(column="customer_id", meta=critical("one row per customer")),
        gxe.ExpectColumnValuesToNotBeNull(
            column="is_marketable", meta=critical("unknown consent is no consent")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="is_marketable", value_set=[True], meta=critical("only consenting customers")
        ),
        gxe.ExpectTableRowCountToBeBetween(min_value=1, meta=warning("an empty list")),
    ]
    if previous_count:
        low, high = size_bounds(previous_count, min_ratio, max_ratio)
        expectations.append(
            gxe.ExpectTableRowCountToBeBetween(
                min_value=low,
                max_value=high,
                meta=critical(
                    f"list size within {min_ratio:.0%}..{max_ratio:.0%} of the last export"
                    f" ({previous_count} rows)"
                ),
            )
        )
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
