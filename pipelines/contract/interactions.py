"""How customers interact with the shop, and what acquiring them costs."""

from __future__ import annotations

from pipelines.contract.model import MONEY, Column, Entity

INTERACTIONS: tuple[Entity, ...] = (
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
)

# what acquiring customers costs, by channel (customer_profitability's acquisition cost)
MARKETING_SPEND = Entity(
    "marketing_spend",
    key=("month", "channel"),
    columns=(
        Column("month", "date", True, "first day of the month"),
        Column("channel", "varchar", True, "matches customers.acquisition_channel"),
        Column("spend", MONEY, True),
    ),
)
