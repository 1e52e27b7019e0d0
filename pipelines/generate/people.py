"""Who the customers are: names in their own scripts, emails, phones, birthdays."""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.contacts import CODES, COUNTRIES, email_locals, mess, phones
from pipelines.generate.households import households
from pipelines.generate.names import POOLS, SCRIPTS
from pipelines.generate.timeline import DAY, masked

LOCAL_STYLES = np.array([0.35, 0.15, 0.1, 0.12, 0.16, 0.12])
MESS_STYLES = np.array([0.8, 0.09, 0.02, 0.05, 0.04])


def _names(rng: np.random.Generator, country: np.ndarray) -> tuple[np.ndarray, ...]:
    n = len(country)
    first, last, rom_first, rom_last = (np.full(n, "", dtype="<U40") for _ in range(4))
    for ci, code in enumerate(CODES):
        idx = np.flatnonzero(country == ci)
        options = SCRIPTS[code]
        weights = np.array([o[2] for o in options])
        pick = rng.choice(len(options), size=len(idx), p=weights / weights.sum())
        for oi, (pool_name, romanised, _) in enumerate(options):
            sel = idx[pick == oi]
            for pool, shown, rom in (
                (POOLS[pool_name][0], first, rom_first),
                (POOLS[pool_name][1], last, rom_last),
            ):
                which = rng.integers(0, len(pool), len(sel))
                native = np.array([p[0] for p in pool])
                latin = np.array([p[1] for p in pool])
                shown[sel] = (latin if romanised else native)[which]
                rom[sel] = latin[which]
    return first, last, rom_first, rom_last


def _unique_emails(frame: pl.DataFrame, taken: pl.Series | None) -> pl.DataFrame:
    """Distinct people get distinct addresses: clashes take a number, as mail providers make them.

    `taken`: addresses other people already have (an earlier shard's), clashes too."""
    while True:
        clash = ~pl.col("email").is_first_distinct()
        if taken is not None:
            clash = clash | pl.col("email").is_in(taken.implode())
        if not frame.select(clash.any()).item():
            return frame
        local, domain = pl.col("email").str.split("@").list.get(0), pl.col("domain")
        fixed = pl.concat_str(local, pl.col("row").cast(pl.String), pl.lit("@"), domain)
        frame = frame.with_columns(email=pl.when(clash).then(fixed).otherwise(pl.col("email")))


def people(
    rng: np.random.Generator, country: np.ndarray, dup_of: np.ndarray, signup: np.ndarray,
    taken: pl.Series | None = None, first_row: int = 0,
) -> pl.DataFrame:  # fmt: skip
    """One row per account; a second account (dup_of >= 0) reuses its owner's identity.

    A shard of a larger shop passes the addresses earlier shards gave out (`taken`) and the
    account number its rows start at (`first_row`, the number a clashing address takes)."""
    n = len(country)
    first, last, rom_first, rom_last = _names(rng, country)
    age_days = np.clip(rng.normal(36, 12, n), 18, 85) * 365.25 + rng.uniform(0, 365, n)
    birthday = (signup // DAY - age_days).astype(np.int64)
    has_birthday = rng.random(n) >= 0.15
    domains = np.full(n, "", dtype="<U40")
    for ci, code in enumerate(CODES):
        idx = np.flatnonzero(country == ci)
        options = np.array(COUNTRIES[code][2])
        domains[idx] = options[rng.integers(0, len(options), len(idx))]
    case = rng.random(n)
    fresh = rng.spawn(1)[0]  # the phone stream: rng draws what it drew before it existed
    phone = households(fresh, country, phones(rng, country, 0.18, fresh), dup_of < 0)
    dup = np.flatnonzero(dup_of >= 0)
    owner = dup_of[dup]
    for arr in (first, last, rom_first, rom_last, birthday, has_birthday, domains):
        arr[dup] = arr[owner]
    keep_phone = rng.random(len(dup)) < 0.5
    phone[dup[keep_phone]] = phone[owner[keep_phone]]
    style = rng.choice(len(MESS_STYLES), size=n, p=MESS_STYLES)
    style[dup] = (style[owner] + rng.integers(1, len(MESS_STYLES), len(dup))) % len(MESS_STYLES)
    year = (1970 + birthday // 365.25).astype(np.int64)
    frame = pl.DataFrame(
        {
            "row": np.arange(first_row, first_row + n),
            "is_dup": dup_of >= 0,
            "first_name": first,
            "last_name": last,
            "rom_first": rom_first,
            "rom_last": rom_last,
            "local_style": rng.choice(len(LOCAL_STYLES), size=n, p=LOCAL_STYLES),
            "year": np.where(has_birthday, year, rng.integers(1, 100, n)),
            "domain": domains,
            "phone": masked(phone, phone != ""),
            "birthday": pl.Series(np.where(has_birthday, birthday, 0)).cast(pl.Date),
            "has_birthday": has_birthday,
        },
        strict=False,
    )
    local = email_locals(
        pl.col("rom_first"), pl.col("rom_last"), pl.col("local_style"), pl.col("year").cast(pl.String)
    )
    solo = frame.filter(~pl.col("is_dup")).with_columns(
        email=pl.concat_str(local, pl.lit("@"), pl.col("domain"))
    )
    solo_pos = np.cumsum(dup_of < 0) - 1  # position of each first account among them
    source = np.where(dup_of >= 0, solo_pos[np.maximum(dup_of, 0)], solo_pos)
    owner_email = _unique_emails(solo, taken)["email"].gather(source)
    name_case = pl.Series(np.select([case < 0.02, case < 0.03], [1, 2], 0))
    return frame.select(
        owner_email.alias("email_norm"),
        mess(pl.lit(owner_email), pl.lit(pl.Series(style))).alias("email"),
        *[
            pl.when(name_case == 1)
            .then(pl.col(c).str.to_lowercase())
            .when(name_case == 2)
            .then(pl.col(c).str.to_uppercase())
            .otherwise(pl.col(c))
            .alias(c)
            for c in ("first_name", "last_name")
        ],
        "phone",
        pl.when("has_birthday").then("birthday").alias("birthday"),
    )
