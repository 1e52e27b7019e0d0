"""Who may be in a marketing export at all, and in which of several campaigns.

Pure polars plus the identity macros, so the rule that matters most (no consent, no
export; a listed variant blocks the person) is property-tested on its own: see
tests/export/test_audience.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import polars as pl

from pipelines.identity import keys


@dataclass(frozen=True)
class Blocklist:
    """Canonical customer ids, email keys and E.164 phones that must never be exported
    (keys as pipelines/identity.py makes them)."""

    customer_ids: frozenset[str] = field(default_factory=frozenset)
    emails: frozenset[str] = field(default_factory=frozenset)
    phones: frozenset[str] = field(default_factory=frozenset)

    def __or__(self, other: Blocklist) -> Blocklist:
        return Blocklist(
            self.customer_ids | other.customer_ids, self.emails | other.emails, self.phones | other.phones
        )

    @cached_property
    def series(self) -> tuple[pl.Series, pl.Series, pl.Series]:
        """Ids, email keys and phones as polars Series, built once however many lists are
        filtered (is_in ignores order: no sort of sets that run to 10^5-10^6 at 1M)."""
        return tuple(  # type: ignore[return-value]
            pl.Series(list(keys), dtype=pl.String) for keys in (self.customer_ids, self.emails, self.phones)
        )


def eligible(members: pl.DataFrame, blocked: Blocklist) -> pl.DataFrame:
    """Members who consent (unknown consent is no consent) and match no blocked id, email
    key or phone key; the member's own address goes through the same identity rule."""
    # only the two columns the keys read go through DuckDB and back (row order is kept: a
    # projection of an Arrow scan, DuckDB's preserve_insertion_order), not the list's every column
    exprs = {"_email_key": "rapport_email_key(email)", "_phone_key": "rapport_phone_key(phone_e164)"}
    keyed = members.hstack(keys(members.select("email", "phone_e164"), exprs).select(*exprs))
    ids, emails, phones = blocked.series
    return keyed.filter(
        pl.col("is_marketable").fill_null(False),
        pl.col("_email_key").is_not_null(),
        ~pl.col("customer_id").is_in(ids.implode()),
        ~pl.col("_email_key").is_in(emails.implode()),
        ~pl.col("_phone_key").fill_null("").is_in(phones.implode()),
    ).select(members.columns)


def by_priority(
    segments: dict[str, pl.DataFrame], priority: dict[str, int | None]
) -> dict[str, pl.DataFrame]:
    """Each customer stays only in their best-priority segment (lowest number; ties: listed
    first); segments without a priority keep everyone."""
    ranked = sorted((p, i, name) for i, (name, p) in enumerate(priority.items()) if p is not None)
    # the ids taken so far as one Series, not a Python set sorted per segment (10^5-10^6 at 1M)
    taken: list[pl.Series] = []
    out = dict(segments)
    for _, _, name in ranked:
        frame = segments[name]
        if taken:
            frame = frame.filter(~pl.col("customer_id").is_in(pl.concat(taken).implode()))
        taken.append(frame["customer_id"])
        out[name] = frame
    return out
