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

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # DuckDB type the loader casts to
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Entity:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    required: bool = False
    doc: str = ""
    # do-not-contact entities: at least one of these columns in the header and in every row;
    # an unreadable file or row blocks the export (pipelines/export/blocked.py), never the load
    identifiers: tuple[str, ...] = ()

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def type_of(self, column: str) -> str:
        return next(c.type for c in self.columns if c.name == column)


MONEY = "decimal(18,2)"
# Largest plausible amount of one order, line or refund: above it a value is far more likely a
# unit or parsing error (paise loaded as rupees) than a sale. Loader rules and GX suites share it.
# 1 crore (10,000,000): an Indian shop's ₹1-5 lakh orders (electronics, jewellery) are ordinary sales.
MAX_AMOUNT = 10_000_000

ENTITIES: dict[str, Entity] = {
    e.name: e
    for e in (
        Entity(
            "orders",
            key=("order_id",),
            required=True,
            doc="One row per order (a later file may restate an order, e.g. a status change).",
            columns=(
                Column("order_id", "varchar", True),
                Column("customer_id", "varchar", True),
                Column("ordered_at", "timestamp", True),
                Column("amount", MONEY, True, "paid for goods, after discounts, before shipping"),
                Column("status", "varchar", doc="placed|shipped|delivered|cancelled|returned"),
                Column("discount_amount", MONEY, doc="discount already taken off amount"),
                Column("shipping_charged", MONEY, doc="shipping paid by the customer"),
                Column("shipping_cost", MONEY, doc="shipping paid by the shop to the carrier"),
                Column("currency", "varchar"),
                Column("delivered_at", "timestamp"),
                Column("updated_at", "timestamp"),
            ),
        ),
        Entity(
            "customers",
            key=("customer_id",),
            doc="One row per customer account; a later file may restate it (latest updated_at wins).",
            columns=(
                Column("customer_id", "varchar", True),
                Column("email", "varchar"),
                Column("first_name", "varchar"),
                Column("last_name", "varchar"),
                Column("phone", "varchar"),
                Column("birthday", "date"),
                Column("signed_up_at", "timestamp"),
                Column("country", "varchar", doc="ISO 3166-1 alpha-2"),
                Column("acquisition_channel", "varchar"),
                Column("marketing_consent", "boolean"),
                Column("unsubscribed_at", "timestamp"),
                Column("updated_at", "timestamp"),
                # added after the first release: an older raw table gains it (load/schema.py)
                Column(
                    "postal_code",
                    "varchar",
                    doc="optional: postal / ZIP / PIN code as written; the Zip of Google Customer Match",
                ),
            ),
        ),
        Entity(
            "products",
            key=("product_id",),
            columns=(
                Column("product_id", "varchar", True),
                Column("product_name", "varchar"),
                Column("category", "varchar"),
                Column("price", MONEY),
                Column("unit_cost", MONEY),
            ),
        ),
        Entity(
            "order_lines",
            key=("order_line_id",),
            doc="sum(quantity * unit_price - line_discount) over an order's lines = orders.amount",
            columns=(
                Column("order_line_id", "varchar", True),
                Column("order_id", "varchar", True),
                Column("product_id", "varchar", True),
                Column("quantity", "integer", True),
                Column("unit_price", MONEY, True),
                Column("line_discount", MONEY),
            ),
        ),
        Entity(
            "returns",
            key=("return_id",),
            columns=(
                Column("return_id", "varchar", True),
                Column("order_id", "varchar", True),
                Column("order_line_id", "varchar"),
                Column("returned_at", "timestamp", True),
                Column("quantity", "integer"),
                Column("refund_amount", MONEY, True),
                Column("reason", "varchar"),
            ),
        ),
        Entity(
            "email_events",
            key=("event_id",),
            columns=(
                Column("event_id", "varchar", True),
                Column("customer_id", "varchar", True),
                Column("event_type", "varchar", True, "send|open|click|unsubscribe|bounce"),
                Column("occurred_at", "timestamp", True),
                Column("campaign_id", "varchar"),
            ),
        ),
        Entity(
            "support_tickets",
            key=("ticket_id",),
            columns=(
                Column("ticket_id", "varchar", True),
                Column("customer_id", "varchar", True),
                Column("opened_at", "timestamp", True),
                Column("handling_minutes", "integer"),
                Column("reason", "varchar"),
                Column("order_id", "varchar"),
            ),
        ),
        Entity(
            "web_sessions",
            key=("session_id",),
            columns=(
                Column("session_id", "varchar", True),
                Column("customer_id", "varchar", True),
                Column("started_at", "timestamp", True),
                Column("page_views", "integer"),
                Column("duration_seconds", "integer"),
            ),
        ),
        Entity(
            "nps_responses",
            key=("response_id",),
            columns=(
                Column("response_id", "varchar", True),
                Column("customer_id", "varchar", True),
                Column("responded_at", "timestamp", True),
                Column("score", "integer", True, "0-10"),
            ),
        ),
        Entity(
            "referrals",
            key=("referral_id",),
            columns=(
                Column("referral_id", "varchar", True),
                Column("referrer_customer_id", "varchar", True),
                Column("referred_customer_id", "varchar", doc="set once the referral converted"),
                Column("referred_at", "timestamp", True),
                Column("converted", "boolean"),
            ),
        ),
        Entity(
            "suppressions",
            key=("email", "customer_id", "phone"),
            doc="Do-not-contact list (by email, customer id or phone): never in a marketing export.",
            identifiers=("email", "customer_id", "phone"),
            columns=(
                Column("email", "varchar", doc="matched by the identity rule (pipelines/identity.py)"),
                Column("customer_id", "varchar", doc="a source or canonical customer id"),
                Column("phone", "varchar", doc="matched in E.164 (with + or 00 and country code)"),
                Column("reason", "varchar", doc="e.g. complaint, bounce, legal"),
                # kept as written: a suppression applies from the moment it lands, whatever its date
                Column("suppressed_at", "varchar", doc="for audit only; never delays the suppression"),
            ),
        ),
        Entity(
            "erasures",
            key=("email", "customer_id", "phone"),
            doc="Right-to-erasure requests: the run that sees one removes the person from every export"
            " (sent as a removal once, swept from every folder by the next run), every mart, the raw"
            " tables and every file rapport keeps under RAPPORT_HOME; their orders stay as anonymous"
            " revenue (no customer id). The landing folder (your drop zone) is never rewritten.",
            identifiers=("email", "customer_id", "phone"),
            columns=(
                Column("email", "varchar", doc="matched by the identity rule (pipelines/identity.py)"),
                Column("customer_id", "varchar", doc="a source or canonical customer id"),
                Column("phone", "varchar", doc="matched in E.164 (with + or 00 and country code)"),
                Column("requested_at", "varchar", doc="for audit only; never delays the erasure"),
            ),
        ),
        Entity(
            "marketing_spend",
            key=("month", "channel"),
            columns=(
                Column("month", "date", True, "first day of the month"),
                Column("channel", "varchar", True, "matches customers.acquisition_channel"),
                Column("spend", MONEY, True),
            ),
        ),
    )
}

ORDER_STATUSES = ("placed", "shipped", "delivered", "cancelled", "returned")
EMAIL_EVENT_TYPES = ("send", "open", "click", "unsubscribe", "bounce")
LANDING_FORMATS = (".csv", ".parquet")
DO_NOT_CONTACT = tuple(name for name, e in ENTITIES.items() if e.identifiers)
