"""Suite for a staged batch of orders: the shared incoming suite plus order-specific warnings.

Critical expectations are the ones downstream models rely on (keys, money, dates);
warnings flag data that is odd but still loadable.
"""

from __future__ import annotations

from dataclasses import replace

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites import warning
from expectations.suites.incoming import Thresholds, expectations_for
from pipelines.contract import MAX_AMOUNT

SUITE_NAME = "incoming_orders"
DEFAULT_MAX_AMOUNT = float(MAX_AMOUNT)


def build_suite(
    max_amount: float = DEFAULT_MAX_AMOUNT, thresholds: Thresholds | None = None
) -> gx.ExpectationSuite:
    t = thresholds or Thresholds()
    extra: list[gxe.Expectation] = [
        gxe.ExpectColumnValuesToNotBeNull(column="currency", meta=warning("currency set")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="currency", regex=r"^[A-Z]{3}$", meta=warning("ISO 4217 code")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="discount_amount", min_value=0, meta=warning("discounts are positive")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="delivered_at",
            column_B="ordered_at",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=warning("delivered before it was ordered"),
        ),
    ]
    common = expectations_for("orders", replace(t, ranges={"amount": (0, max_amount), **t.ranges}))
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=common + extra)
