"""Do-not-contact inputs: read before every export, and an unreadable one blocks it."""

from __future__ import annotations

from pipelines.contract.model import Column, Entity

# Both lists name a person the same ways; at least one of these in the header and in every row.
IDENTIFIERS = ("email", "customer_id", "phone")
_IDENTIFIER_COLUMNS = (
    Column("email", "varchar", doc="matched by the identity rule (pipelines/identity.py)"),
    Column("customer_id", "varchar", doc="a source or canonical customer id"),
    Column(
        "phone",
        "varchar",
        doc="matched in E.164 when written with + or 00; else its digits (98765 43210, 07700 900123)"
        " as a national number in every country: the list has no country column",
    ),
)

DO_NOT_CONTACT_ENTITIES: tuple[Entity, ...] = (
    Entity(
        "suppressions",
        key=IDENTIFIERS,
        doc="Do-not-contact list (by email, customer id or phone): never in a marketing export.",
        identifiers=IDENTIFIERS,
        columns=(
            *_IDENTIFIER_COLUMNS,
            Column("reason", "varchar", doc="e.g. complaint, bounce, legal"),
            # kept as written: a suppression applies from the moment it lands, whatever its date
            Column("suppressed_at", "varchar", doc="for audit only; never delays the suppression"),
        ),
    ),
    Entity(
        "erasures",
        key=IDENTIFIERS,
        doc="Right-to-erasure requests: the run that sees one removes the person from every export"
        " (sent as a removal once, swept from every folder by the next run), every mart, the raw"
        " tables and every file rapport keeps under RAPPORT_HOME; their orders stay as anonymous"
        " revenue (no customer id). The landing folder (your drop zone) is never rewritten.",
        identifiers=IDENTIFIERS,
        columns=(
            *_IDENTIFIER_COLUMNS,
            Column("requested_at", "varchar", doc="for audit only; never delays the erasure"),
        ),
    ),
)
