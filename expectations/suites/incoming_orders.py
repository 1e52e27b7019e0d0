"""Suite for a loaded-but-uncommitted batch of orders (`incoming.orders`).

Critical expectations are the ones downstream models rely on (keys, money, dates);
warnings flag data that is odd but still loadable.
"""

from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites import critical, warning
from pipelines.contract import ENTITIES, ORDER_STATUSES

SUITE_NAME = "incoming_orders"
# Largest plausible single order; above it is far more likely a unit or parsing error
# (cents loaded as euros, a thousands separator read as decimal point) than a sale.
DEFAULT_MAX_AMOUNT = 100_000.0


def build_suite(max_amount: float = DEFAULT_MAX_AMOUNT) -> gx.ExpectationSuite:
    orders = ENTITIES["orders"]
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnToExist(column=name, meta=critical("required by the contract"))
        for name in orders.required_columns
    ]
    expectations += [
        gxe.ExpectColumnValuesToNotBeNull(column="order_id", meta=critical("order key")),
        gxe.ExpectColumnValuesToBeUnique(
            column="order_id", meta=critical("one row per order within a batch")
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="customer_id", meta=critical("orders without a customer break RFM")
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="amount", meta=critical("revenue")),
        gxe.ExpectColumnValuesToBeBetween(
            column="amount",
            min_value=0,
            max_value=max_amount,
            meta=critical(f"amount must be within 0..{max_amount:g}"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(column="ordered_at", meta=critical("recency")),
        gxe.ExpectColumnValuesToBeInSet(
            column="status",
            value_set=list(ORDER_STATUSES),
            meta=critical("unknown statuses would be miscounted as revenue"),
        ),
        gxe.ExpectTableRowCountToBeBetween(min_value=1, meta=warning("an empty batch")),
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
    return gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations)
