"""Orders, the people who place them, what they buy and what comes back."""

from __future__ import annotations

from pipelines.contract.model import MONEY, Column, Entity

COMMERCE: tuple[Entity, ...] = (
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
)
