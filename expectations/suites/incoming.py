"""Suites for a staged-but-uncommitted batch of one entity (`incoming.<entity>`).

The loader has already quarantined every row that breaks a row rule, so on a healthy run
the critical expectations here pass: they are the second line that catches a loader
regression before it reaches `raw`. The warnings look at the batch as a whole (size and
freshness against history, references, contact data quality) and never block.

Columns starting with `_` are computed by pipelines.quality.incoming next to the data:
`_unknown_customer` (the customer_id when that customer has no loaded record), `_seen_in_raw` (the key
was committed from another file), `_email` (trimmed, lower-cased e-mail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import great_expectations as gx
import great_expectations.expectations as gxe

from expectations.suites import critical, warning
from pipelines.contract import EMAIL_EVENT_TYPES, ENTITIES, MAX_AMOUNT, ORDER_STATUSES

RESTATABLE = frozenset({"orders", "customers", "products", "marketing_spend", "referrals"})
# entity: (event-time column, allowed values, inclusive ranges)
SPECS: dict[str, tuple[str, dict[str, tuple[str, ...]], dict[str, tuple[float, float]]]] = {
    "orders": ("ordered_at", {"status": ORDER_STATUSES}, {"amount": (0, MAX_AMOUNT)}),
    "customers": ("signed_up_at", {}, {}),
    "order_lines": ("", {}, {"quantity": (1, 10_000), "unit_price": (0, MAX_AMOUNT)}),
    "returns": ("returned_at", {}, {"refund_amount": (0, MAX_AMOUNT), "quantity": (1, 10_000)}),
    "nps_responses": ("responded_at", {}, {"score": (0, 10)}),
    "email_events": ("occurred_at", {"event_type": EMAIL_EVENT_TYPES}, {}),
}
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
PHONE = r"^\+?[0-9(][0-9 ()./-]{5,24}$"


@dataclass(frozen=True)
class Thresholds:
    """Everything a suite compares against; all of it is data, none of it is the clock."""

    as_of: date | None = None  # None: the batch's as-of date is unknown, dates are not bounded
    future_tolerance_days: int = 1
    shop_opened: date = date(2000, 1, 1)
    max_age_days: int = 7  # freshness: the newest event must be at most this old
    expected_rows: float | None = None  # from recent history; None: no history, not checked
    row_ratio: tuple[float, float] = (0.2, 5.0)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)  # overrides SPECS


def _dates(column: str, t: Thresholds) -> list[gxe.Expectation]:
    if t.as_of is None or not column:
        return []
    latest = datetime.combine(t.as_of + timedelta(days=t.future_tolerance_days), time())
    # Column min/max, not per-value checks: GX compares timestamps one Python object at a time
    # (8 s on 2M rows); the loader has already quarantined each offending row by line.
    return [
        gxe.ExpectColumnMaxToBeBetween(
            column=column, max_value=latest, meta=critical(f"no {column} after {latest:%Y-%m-%d}")
        ),
        gxe.ExpectColumnMinToBeBetween(
            column=column,
            min_value=datetime.combine(t.shop_opened, time()),
            meta=warning(f"no {column} before the shop opened ({t.shop_opened})"),
        ),
        gxe.ExpectColumnMaxToBeBetween(
            column=column,
            min_value=datetime.combine(t.as_of - timedelta(days=t.max_age_days), time()),
            meta=warning(f"fresh: newest {column} at most {t.max_age_days} days before the as-of date"),
        ),
    ]


def _size(t: Thresholds) -> list[gxe.Expectation]:
    out: list[gxe.Expectation] = [
        gxe.ExpectTableRowCountToBeBetween(min_value=1, meta=warning("an empty batch"))
    ]
    if t.expected_rows:
        low, high = (round(t.expected_rows * r) for r in t.row_ratio)
        why = (
            f"rows within {t.row_ratio[0]:g}..{t.row_ratio[1]:g}x of recent history (~{t.expected_rows:.0f})"
        )
        out.append(gxe.ExpectTableRowCountToBeBetween(min_value=low, max_value=high, meta=warning(why)))
    return out


def _keys(entity: str) -> list[gxe.Expectation]:
    key = list(ENTITIES[entity].key)
    if entity in RESTATABLE:  # a later file may restate a record: unique within each file only
        why = "one row per key within a file (later files may restate)"
        return [gxe.ExpectCompoundColumnsToBeUnique(column_list=["_source_file", *key], meta=critical(why))]
    return [
        gxe.ExpectCompoundColumnsToBeUnique(column_list=key, meta=critical("one row per key in the batch"))
        if len(key) > 1
        else gxe.ExpectColumnValuesToBeUnique(column=key[0], meta=critical("one row per key in the batch")),
        gxe.ExpectColumnValuesToBeInSet(
            column="_seen_in_raw",
            value_set=[False],
            meta=critical("key not already committed by another file"),
        ),
    ]


def _contacts() -> list[gxe.Expectation]:
    return [
        gxe.ExpectColumnValuesToMatchRegex(
            column="_email", regex=EMAIL, meta=warning("e-mail address shape")
        ),
        gxe.ExpectColumnValuesToMatchRegex(column="phone", regex=PHONE, meta=warning("phone parseable")),
        gxe.ExpectColumnValuesToNotBeNull(column="marketing_consent", meta=warning("consent recorded")),
    ]


def build_suite(entity: str, thresholds: Thresholds | None = None) -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name=f"incoming_{entity}", expectations=expectations_for(entity, thresholds))


def expectations_for(entity: str, thresholds: Thresholds | None = None) -> list[gxe.Expectation]:
    t = thresholds or Thresholds()
    contract = ENTITIES[entity]
    event_time, allowed, ranges = SPECS[entity]
    out: list[gxe.Expectation] = [
        gxe.ExpectColumnToExist(column=c, meta=critical("required by the contract"))
        for c in contract.required_columns
    ]
    out += [
        gxe.ExpectColumnValuesToNotBeNull(column=c, meta=critical("required by the contract"))
        for c in contract.required_columns
    ]
    out += _keys(entity)
    out += [
        gxe.ExpectColumnValuesToBeInSet(
            column=c, value_set=list(v), meta=critical(f"{c} is one of {', '.join(v)}")
        )
        for c, v in allowed.items()
    ]
    for column, (low, high) in {**ranges, **t.ranges}.items():
        why = f"{column} within {low:g}..{high:g}"
        out.append(
            gxe.ExpectColumnValuesToBeBetween(
                column=column, min_value=low, max_value=high, meta=critical(why)
            )
        )
    out += _dates(event_time, t)
    if "customer_id" in contract.column_names and entity != "customers":
        out.append(
            gxe.ExpectColumnValuesToBeNull(
                column="_unknown_customer",
                meta=warning("the customer's own record is loaded (not missing or quarantined)"),
            )
        )
    if entity == "customers":
        out += _contacts()
    return out + _size(t)
