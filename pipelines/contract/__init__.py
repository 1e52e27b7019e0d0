"""The landing contract: which files rapport reads and what their columns mean.

Generator, loader and quality suites all read this one definition, so a column
added here is generated, typed, loaded and checked everywhere at once.

File layout under the landing folder (CSV with a header row, or Parquet):
    <entity>/date=YYYY-MM-DD/<anything>.csv|.parquet   daily partitions (preferred)
    <entity>/<anything>.csv|.parquet                    any depth below <entity>/
    <entity>.csv | <entity>.parquet                     a single top-level file
Only `orders` is required; every other entity enriches the marts when present.
CSV: UTF-8, comma separated, RFC 4180 quoting, ISO 8601 dates and timestamps
(timestamps without an offset are UTC).
"""

from __future__ import annotations

from pipelines.contract.commerce import COMMERCE
from pipelines.contract.do_not_contact import DO_NOT_CONTACT_ENTITIES
from pipelines.contract.interactions import INTERACTIONS, MARKETING_SPEND
from pipelines.contract.model import MAX_AMOUNT, MONEY, Column, Entity

__all__ = [
    "DO_NOT_CONTACT", "EMAIL_EVENT_TYPES", "ENTITIES", "LANDING_FORMATS", "MAX_AMOUNT", "MONEY",
    "ORDER_STATUSES", "Column", "Entity",
]  # fmt: skip

# In this order: the README's contract section and the loader walk entities as listed here.
ENTITIES: dict[str, Entity] = {
    e.name: e for e in (*COMMERCE, *INTERACTIONS, *DO_NOT_CONTACT_ENTITIES, MARKETING_SPEND)
}
ORDER_STATUSES = ("placed", "shipped", "delivered", "cancelled", "returned")
EMAIL_EVENT_TYPES = ("send", "open", "click", "unsubscribe", "bounce")
LANDING_FORMATS = (".csv", ".parquet")
DO_NOT_CONTACT = tuple(name for name, e in ENTITIES.items() if e.identifiers)
