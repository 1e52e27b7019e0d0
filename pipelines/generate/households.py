"""A fixed share of people give another person's number: a household on one phone.

Numbers come from pools that grow with the shop (contacts.py), so without this nobody would
share one; with it, the people an erasure reaches through a shared phone (the household rule)
stay a fixed share of the shop however large it is.
"""

from __future__ import annotations

import numpy as np

# 2%: inside the 1-3% a shop sees of accounts on a partner's or parent's number, and with the
# second accounts that keep their owner's number (1% of accounts) about 3% share one in all
SHARE = 0.02


def households(
    fresh: np.random.Generator, country: np.ndarray, phone: np.ndarray, solo: np.ndarray
) -> np.ndarray:
    """`phone` with SHARE of the solo people who gave one taking another such person's number of
    their country (a giver keeps their own; '' = none given, left as it is). Draws from `fresh`."""
    out = phone.copy()
    gave = solo & (phone != "")
    takes = gave & (fresh.random(len(phone)) < SHARE)
    for ci in np.unique(country[takes]):
        givers = np.flatnonzero(gave & ~takes & (country == ci))
        takers = np.flatnonzero(takes & (country == ci))
        if len(givers):
            out[takers] = phone[givers[fresh.integers(0, len(givers), len(takers))]]
    return out
