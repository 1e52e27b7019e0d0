"""Email marketing events: who got which campaign, and the send > open > click funnel."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.customers import Base, customer_ids
from pipelines.generate.timeline import Timeline

# Share of eligible (consenting, subscribed) customers each kind of campaign targets.
_AUDIENCE = {"nl": 0.06, "promo": 0.2, "bf": 0.4}


def email_events(
    rng: np.random.Generator, base: Base, camp_t: np.ndarray, camp_ids: list[str], tl: Timeline
) -> pl.DataFrame:
    n = len(base.signup)
    since = np.where(base.consent, base.signup, base.opt_in_at)
    until = np.where(base.unsub_at >= 0, base.unsub_at, tl.end)
    open_rate = rng.beta(1.5, 3.2, n)
    click_rate = rng.beta(1.2, 8.0, n)
    dead_address = (rng.random(n) < 0.012) & (base.unsub_campaign < 0)
    picked: list[np.ndarray] = []
    for k, t in enumerate(camp_t):  # one vectorised pass per campaign
        share = _AUDIENCE[camp_ids[k].split("-")[0]]
        eligible = (since >= 0) & (since <= t) & (t < until)
        picked.append(np.flatnonzero((eligible & (rng.random(n) < share)) | (base.unsub_campaign == k)))
    who = np.concatenate(picked)
    camp = np.repeat(np.arange(len(camp_t)), [len(p) for p in picked])
    # A hard bounce gets the address suppressed: nobody mails it twice.
    first_try = np.ones(len(who), dtype=bool)
    seen = np.flatnonzero(dead_address[who])
    _, first = np.unique(who[seen], return_index=True)
    first_try[seen] = False
    first_try[seen[first]] = True
    who, camp = who[first_try], camp[first_try]
    quits = base.unsub_campaign[who] == camp
    sent = camp_t[camp] + np.where(quits, 0, rng.integers(0, 3600, len(who)))
    bounced = ~quits & (dead_address[who] | (rng.random(len(who)) < 0.004))
    opened = quits | (~bounced & (rng.random(len(who)) < open_rate[who]))
    open_at = sent + rng.lognormal(np.log(2 * 3600), 1.3, len(who)).astype(np.int64)
    open_at = np.where(quits, (sent + base.unsub_at[who]) // 2, open_at)
    clicked = opened & ~quits & (rng.random(len(who)) < click_rate[who])
    click_at = open_at + rng.lognormal(np.log(40), 1.0, len(who)).astype(np.int64)
    kinds = [
        ("send", np.ones(len(who), dtype=bool), sent),
        ("bounce", bounced, sent + rng.integers(2, 300, len(who))),
        ("open", opened, open_at),
        ("click", clicked, click_at),
        ("unsubscribe", quits, base.unsub_at[who]),
    ]
    ids = pl.Series(camp_ids)
    frames = [
        pl.DataFrame(
            {
                "customer_id": customer_ids(who[mask]),
                "event_type": pl.Series([kind]).gather(np.zeros(mask.sum(), dtype=np.int64)),
                "occurred_at": at[mask],
                "campaign_id": ids.gather(camp[mask]),
            }
        )
        for kind, mask, at in kinds
    ]
    events = pl.concat(frames).filter(pl.col("occurred_at") < tl.end)
    events = events.sort("occurred_at", "customer_id", "event_type", maintain_order=True)
    event_id = pl.int_range(1, pl.len() + 1).cast(pl.String).str.zfill(10).str.pad_start(11, "E")
    return events.select(event_id.alias("event_id"), pl.all())
