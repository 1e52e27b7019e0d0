"""Who may be in a marketing export at all, and in which of several campaigns.

Pure polars, so the rule that matters most (no consent, no export) is property-tested
on its own: see tests/export/test_audience.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class Blocklist:
    """Canonical customer ids and normalised emails that must never be exported."""

    customer_ids: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: Blocklist) -> Blocklist:
        return Blocklist(self.customer_ids | other.customer_ids, self.emails | other.emails)


def eligible(members: pl.DataFrame, blocked: Blocklist) -> pl.DataFrame:
    """Members who consent (unknown consent is no consent) and are on no block list."""
    email = pl.col("email").str.strip_chars().str.to_lowercase()
    return members.filter(
        pl.col("is_marketable").fill_null(False),
        pl.col("email").is_not_null(),
        ~pl.col("customer_id").is_in(sorted(blocked.customer_ids)),
        ~email.is_in(sorted(blocked.emails)),
    )


def by_priority(
    segments: dict[str, pl.DataFrame], priority: dict[str, int | None]
) -> dict[str, pl.DataFrame]:
    """Each customer stays only in their best-priority segment (lowest number; ties: listed
    first); segments without a priority keep everyone."""
    ranked = sorted((p, i, name) for i, (name, p) in enumerate(priority.items()) if p is not None)
    taken: set[str] = set()
    out = dict(segments)
    for _, _, name in ranked:
        frame = segments[name].filter(~pl.col("customer_id").is_in(sorted(taken)))
        taken |= set(frame["customer_id"].to_list())
        out[name] = frame
    return out
