"""generate_shop: a whole demo shop's exports, written to a landing folder."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from pipelines.contract import ENTITIES
from pipelines.generate.activity import write_activity
from pipelines.generate.customers import draw_base
from pipelines.generate.products import catalogue
from pipelines.generate.sharded import write_shards
from pipelines.generate.spend import marketing_spend
from pipelines.generate.timeline import Timeline
from pipelines.generate.truth import write_truth
from pipelines.generate.writer import GenerateSummary, Writer

__all__ = ["GenerateSummary", "generate_shop"]


def generate_shop(
    out: Path,
    customers: int,
    seed: int = 42,
    start: date = date(2024, 7, 1),
    end: date = date(2026, 6, 30),
    dirty_rate: float = 0.0,
    fmt: Literal["csv", "parquet"] = "csv",
    shard_size: int | None = None,
) -> GenerateSummary:
    """Write a demo shop's exports for `customers` accounts signing up between start and end.

    Same arguments give byte-identical files. dirty_rate > 0 (CSV only) makes about
    that share of the orders, order_lines and customers rows defective and lists
    each defect in _truth/defects.csv.

    shard_size: a shop with more customers is made shard by shard in bounded memory
    (`sharded.py`): other files, the same kind of shop. None (the default) never shards.
    """
    if fmt not in ("csv", "parquet"):
        raise ValueError(f"fmt must be 'csv' or 'parquet', not {fmt!r}")
    if not 0.0 <= dirty_rate <= 0.5:
        raise ValueError("dirty_rate must be between 0 and 0.5")
    if dirty_rate > 0 and fmt != "csv":
        raise ValueError("defects can only be injected into CSV exports")
    if customers < 20:
        raise ValueError("a shop needs at least 20 customers")
    if end <= start:
        raise ValueError("end must be after start")
    if shard_size is not None and shard_size < 40:
        raise ValueError("shard_size must be at least 40 (shards of 20 customers or more)")

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    out = Path(out)
    tl = Timeline.build(start, end)
    cat = catalogue(rng(3))
    if shard_size is not None and customers > shard_size:
        return write_shards(out, customers, shard_size, seed, tl, cat, dirty_rate, fmt)
    campaigns = tl.campaigns()
    base = draw_base(rng(1), customers, tl, campaigns[0])
    write = Writer(out, fmt, dirty_rate, seed, customers)
    act = write_activity(rng, base, cat, campaigns, tl, write)
    write("products", cat.frame.sort("product_id"), None)
    write("marketing_spend", marketing_spend(rng(12), base.signup, base.channel, tl), None)
    defects = pl.concat(write.defects) if write.defects else None
    n_defects = write_truth(out, base, act.buys, act.baskets, act.refunds, act.orders, defects, start, end)
    rows = {name: write.rows[name] for name in ENTITIES}
    paths = sorted(write.paths, key=lambda p: list(ENTITIES).index(p.relative_to(out).parts[0]))
    return GenerateSummary(out, rows, tuple(paths), n_defects)
