"""Customer accounts, their hidden purchase parameters and their consent history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.generate.contacts import CODES, ORDER_VALUE, SHARES
from pipelines.generate.people import people
from pipelines.generate.timeline import DAY, Timeline

CHANNELS = ("organic", "paid_search", "social", "email", "referral", "affiliate")
_CHANNEL_SHARE = np.array([0.32, 0.26, 0.18, 0.08, 0.0, 0.16])
# Purchase-rate and dropout multipliers: referred customers stay, affiliate deal-hunters leave.
_RATE = np.array([1.05, 0.95, 0.9, 1.1, 1.2, 0.85])
_DROPOUT = np.array([0.95, 1.05, 1.1, 0.9, 0.75, 1.3])


@dataclass(frozen=True)
class Base:
    signup: np.ndarray  # epoch seconds, ascending (ids follow sign-up order)
    country: np.ndarray  # index into CODES
    channel: np.ndarray  # index into CHANNELS
    dup_of: np.ndarray  # owner account of a second sign-up, -1 otherwise
    consent: np.ndarray  # consent given at sign-up
    unsub_at: np.ndarray  # epoch seconds of the unsubscribe click, -1 if none
    unsub_campaign: np.ndarray  # campaign whose email carried that click, -1 if none
    opt_in_at: np.ndarray  # later consent (e.g. at checkout), -1 if none
    lam: np.ndarray  # purchases per operational day while alive
    p_dropout: np.ndarray  # chance of leaving after each purchase
    buys: np.ndarray  # ever places an order
    order_value: np.ndarray  # mean order value, cents
    people: pl.DataFrame

    @property
    def ids(self) -> pl.Series:
        return customer_ids(np.arange(len(self.signup)))


def customer_ids(idx: np.ndarray) -> pl.Series:
    return pl.Series(idx + 1).cast(pl.String).str.zfill(8).str.pad_start(9, "C")


def draw_base(
    rng: np.random.Generator, n: int, tl: Timeline, camp_t: np.ndarray,
    taken: pl.Series | None = None, first_row: int = 0,
) -> Base:  # fmt: skip
    """`taken`, `first_row`: a shard's place in a larger shop (see `people`)."""
    signup = tl.sample(rng, n, growth=2.2)
    country = rng.choice(len(CODES), size=n, p=SHARES)
    channel = rng.choice(len(CHANNELS), size=n, p=_CHANNEL_SHARE)
    late = np.arange(n) >= max(1, n // 50)  # the first accounts have nobody to be referred by
    roll = rng.random(n)
    channel[late & (roll < 0.07)] = CHANNELS.index("referral")
    is_dup = late & (roll >= 0.07) & (roll < 0.09)
    solo = np.flatnonzero(~is_dup)
    dup = np.flatnonzero(is_dup)
    before = np.searchsorted(solo, dup)
    dup_of = np.full(n, -1)
    dup_of[dup] = solo[(rng.random(len(dup)) * before).astype(np.int64)]
    country[dup] = country[dup_of[dup]]

    consent = rng.random(n) < 0.89
    raw = signup + rng.exponential(150 * DAY, n)
    last_camp = np.searchsorted(camp_t, raw, side="right") - 1
    first_camp = np.searchsorted(camp_t, signup, side="left")
    will_unsub = consent & (rng.random(n) < 0.08) & (last_camp >= first_camp)
    unsub_campaign = np.where(will_unsub, last_camp, -1)
    delay = np.maximum(120, rng.lognormal(np.log(3 * 3600), 1.2, n)).astype(np.int64)
    unsub_at = np.where(will_unsub, camp_t[np.maximum(unsub_campaign, 0)] + delay, -1)
    unsub_campaign = np.where(unsub_at < tl.end, unsub_campaign, -1)
    unsub_at = np.where(unsub_at < tl.end, unsub_at, -1)
    opt_in = signup + rng.exponential(90 * DAY, n).astype(np.int64)
    opt_in_at = np.where(~consent & (rng.random(n) < 0.3) & (opt_in < tl.end), opt_in, -1)

    lam = rng.gamma(0.5, (1 / 95) / 0.5, n) * _RATE[channel]
    p_dropout = np.clip(rng.beta(1.4, 5.0, n) * _DROPOUT[channel], 0.01, 0.95)
    buys = rng.random(n) < np.where(is_dup, 0.5, 0.82)
    order_value = rng.lognormal(np.log(3800), 0.85, n) * ORDER_VALUE[country]
    return Base(
        signup, country, channel, dup_of, consent, unsub_at, unsub_campaign, opt_in_at,
        lam, p_dropout, buys, order_value, people(rng, country, dup_of, signup, taken, first_row),
    )  # fmt: skip


def _day(ts: pl.Expr) -> pl.Expr:
    return (ts // DAY).cast(pl.Int32).cast(pl.Date)


def postal_codes(countries: np.ndarray) -> pl.Series:
    """A postal code per customer, as shops write them: Indian 6-digit PINs (every third with
    the customary space, '560 001'), US 5-digit ZIPs (every fourth ZIP+4), other countries'
    5-digit codes, one in ten left blank. Derived from the row number, not the random stream,
    so every other generated column is what it was before the column existed."""
    i = pl.int_range(0, pl.len(), dtype=pl.Int64)
    pin = (110001 + (i * 7919) % 745000).cast(pl.String)
    zip5 = ((i * 7919) % 99000 + 601).cast(pl.String).str.zfill(5)
    frame = pl.DataFrame({"country": countries}).select(
        pl.when(i % 10 == 7)
        .then(None)
        .when(pl.col("country") == "IN")
        .then(pl.when(i % 3 == 0).then(pin.str.slice(0, 3) + " " + pin.str.slice(3)).otherwise(pin))
        .when(pl.col("country") == "US")
        .then(
            pl.when(i % 4 == 0).then(zip5 + "-" + (i % 9999 + 1).cast(pl.String).str.zfill(4)).otherwise(zip5)
        )
        .otherwise(((i * 7919) % 90000 + 10000).cast(pl.String))
        .alias("postal_code")
    )
    return frame["postal_code"]


def customer_rows(base: Base) -> pl.DataFrame:
    """Sign-up rows, plus a restated row on the day consent changed."""
    n = len(base.signup)
    first = pl.DataFrame(
        {
            "customer_id": base.ids,
            **{c: base.people[c] for c in ("email", "first_name", "last_name", "phone")},
            "birthday": base.people["birthday"],
            "signed_up_at": base.signup,
            "country": np.array(CODES)[base.country],
            "acquisition_channel": np.array(CHANNELS)[base.channel],
            "marketing_consent": base.consent,
            "unsubscribed_at": pl.Series([None] * n, dtype=pl.Int64),
            "updated_at": base.signup,
            "postal_code": postal_codes(np.array(CODES)[base.country]),
        }
    )
    changed_at = np.maximum(base.unsub_at, base.opt_in_at)
    changed = changed_at >= 0
    restated = first.filter(changed).with_columns(
        marketing_consent=pl.Series(base.unsub_at[changed] < 0),
        unsubscribed_at=pl.Series(base.unsub_at[changed]).replace(-1, None),
        updated_at=pl.Series(changed_at[changed]),
    )
    rows = pl.concat([first, restated]).with_columns(
        pl.col("unsubscribed_at").cast(pl.Int64), _day(pl.col("updated_at")).alias("_day")
    )
    return rows.sort("_day", "updated_at", "customer_id", maintain_order=True)
