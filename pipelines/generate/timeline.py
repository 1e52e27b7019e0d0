"""The shop's calendar: seasonality, time of day and the email campaign schedule.

Purchases follow a BG/NBD process in *operational time*: one operational day is
a calendar day of average demand, so a constant per-customer rate becomes a
calendar rate with the shop's weekly and yearly rhythm (November/December peak,
Black Friday spike) without touching the model's parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl

DAY = 86_400
# Monday first; Sunday evening is the busiest online shopping slot.
WEEKDAY = np.array([1.05, 1.0, 0.97, 0.95, 0.9, 0.88, 1.25])
MONTH = np.array([0.85, 0.8, 0.9, 0.92, 0.95, 0.9, 1.0, 0.9, 0.95, 1.05, 1.45, 1.6])
# UTC hour profile: quiet nights, lunchtime bump, evening peak.
HOUR = np.array(
    [0.9, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.1, 1.7, 2.2, 2.5, 2.8,
     3.1, 2.9, 2.7, 2.7, 2.9, 3.2, 3.7, 4.3, 4.6, 4.2, 3.1, 1.8]
)  # fmt: skip
_HOUR_CDF = np.concatenate([[0.0], np.cumsum(HOUR) / HOUR.sum()])


def epoch_seconds(d: date) -> int:
    return int(np.datetime64(d, "s").astype(np.int64))


def daily_weights(days: np.ndarray) -> np.ndarray:
    """Relative demand of each calendar day (days: datetime64[D])."""
    n = days.astype(np.int64)
    dow = (n + 3) % 7  # 1970-01-01 was a Thursday
    month = days.astype("M8[M]").astype(np.int64) % 12
    dom = (days - days.astype("M8[M]")).astype(np.int64) + 1
    w = WEEKDAY[dow] * MONTH[month]
    black_friday = np.flatnonzero((month == 10) & (dow == 4) & (dom >= 23) & (dom <= 29))
    for lag, factor in enumerate((2.6, 1.6, 1.4, 1.9)):  # Friday through Cyber Monday
        hit = black_friday + lag
        w[hit[hit < len(w)]] *= factor
    return np.where((month == 11) & (dom >= 24) & (dom <= 26), w * 0.55, w)


def warp_time_of_day(t: np.ndarray) -> np.ndarray:
    """Move each time within its own day to follow HOUR; order is preserved."""
    day = np.floor_divide(t, DAY) * DAY
    frac = (t - day) / DAY
    return (day + np.interp(frac, _HOUR_CDF, np.arange(25) / 24) * DAY).astype(np.int64)


@dataclass(frozen=True)
class Timeline:
    start: int  # epoch seconds, inclusive
    end: int  # epoch seconds, exclusive (midnight after the last day)
    edges: np.ndarray  # day boundaries, epoch seconds
    op_edges: np.ndarray  # cumulative demand at the boundaries, operational days
    weights: np.ndarray  # demand of each day

    @classmethod
    def build(cls, start: date, end: date) -> Timeline:
        days = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
        w = daily_weights(days)
        w = w / w.mean()
        edges = np.arange(len(days) + 1, dtype=np.int64) * DAY + epoch_seconds(start)
        op = np.concatenate([[0.0], np.cumsum(w)])
        return cls(int(edges[0]), int(edges[-1]), edges, op, w)

    @property
    def op_end(self) -> float:
        return float(self.op_edges[-1])

    def to_op(self, t: np.ndarray) -> np.ndarray:
        return np.interp(t, self.edges, self.op_edges)

    def from_op(self, u: np.ndarray) -> np.ndarray:
        """Calendar seconds of operational times; anything past the end stays past it."""
        t = np.interp(u, self.op_edges, self.edges)
        t = np.where(u > self.op_end, self.end + (u - self.op_end) * DAY, t)
        return warp_time_of_day(t)

    def sample(self, rng: np.random.Generator, n: int, growth: float = 1.0) -> np.ndarray:
        """n sorted calendar times drawn from demand x a linear growth trend."""
        w = self.weights * np.linspace(1.0, growth, len(self.weights))
        cdf = np.concatenate([[0.0], np.cumsum(w)])
        u = np.sort(rng.random(n)) * cdf[-1]
        return warp_time_of_day(np.interp(u, cdf, self.edges))

    def campaigns(self) -> tuple[np.ndarray, list[str]]:
        """Send times and ids: a Tuesday newsletter, a monthly promo, Black Friday."""
        days = np.arange(self.edges[0] // DAY, self.edges[-1] // DAY).astype("M8[D]")
        n = days.astype(np.int64)
        dow = (n + 3) % 7
        dom = (days - days.astype("M8[M]")).astype(np.int64) + 1
        month = days.astype("M8[M]").astype(np.int64) % 12
        kinds = [
            ("nl", dow == 1, 8 * 3600),
            ("promo", (dow == 3) & (dom <= 7), 10 * 3600),
            ("bf", (month == 10) & (dow == 4) & (dom >= 23) & (dom <= 29), 6 * 3600),
        ]
        times: list[int] = []
        ids: list[str] = []
        for kind, mask, offset in kinds:
            times += [int(d) * DAY + offset for d in n[mask]]
            ids += [f"{kind}-{d}" for d in days[mask]]
        order = np.argsort(times, kind="stable")
        return np.asarray(times, dtype=np.int64)[order], [ids[i] for i in order]


def masked(values: np.ndarray, keep: np.ndarray) -> pl.Series:
    """values where keep, null elsewhere (numpy has no nullable integers)."""
    return pl.select(pl.when(pl.Series(keep)).then(pl.Series(values))).to_series()
