"""write_shards: a shop too large for memory, made shard by shard.

Each shard is a shop of its own customers (a disjoint id range; every other id moved past
the earlier shards' by shard_ids.py) drawn from its own random streams, written as extra
part files, `<entity>-NNN.csv`, in the same daily folders. Shop-level files (products,
marketing spend) are written once; the ground truth under _truth/ covers every shard.
Within a shard, everything the generator promises holds (duplicate accounts share an
owner's identity, referrers signed up first, erasures and suppressions name real
accounts); addresses stay unique across shards; ids follow sign-up order within a shard.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.contract import ENTITIES
from pipelines.generate.activity import write_activity
from pipelines.generate.customers import draw_base
from pipelines.generate.products import Catalogue
from pipelines.generate.shard_ids import KINDS, shift_ids
from pipelines.generate.spend import marketing_spend
from pipelines.generate.timeline import DAY, Timeline
from pipelines.generate.truth import DEFECT_COLUMNS, _amount_text, write_truth
from pipelines.generate.writer import GenerateSummary, Writer

_MONEY = ("gross_revenue", "refunds", "net_revenue")
_COUNTS = ("customers", "people", "orders", "cancelled_orders")


class _ShardWriter(Writer):
    """A Writer that moves the shard's ids first and counts what each kind numbered."""

    def __init__(
        self, offsets: dict[str, int], out: Path, fmt: str, dirty_rate: float, seed: int, n: int, k: int
    ):
        super().__init__(out, fmt, dirty_rate, seed, n, part=f"-{k:03d}", stream=(k,))
        self.offsets = dict(offsets)
        self.numbered: dict[str, int] = dict.fromkeys(KINDS, 0)

    def __call__(self, name: str, frame: pl.DataFrame, day_of: str | None) -> None:
        for kind, (_, _, entity) in KINDS.items():
            if entity == name:
                self.numbered[kind] = frame.height
        super().__call__(name, shift_ids(name, frame, self.offsets).collect(), day_of)


def _cents(text: str) -> int:
    units, frac = text.lstrip("-").split(".")
    return (-1 if text.startswith("-") else 1) * (int(units) * 100 + int(frac))


def _merge_truth(
    out: Path, folders: list[Path], offsets: list[dict[str, int]], defects: list[pl.DataFrame]
) -> int:
    """One _truth/ for the whole shop from the shards' own; returns the number of defects."""
    truth = out / "_truth"
    params = [
        shift_ids("_truth", pl.scan_parquet(f / "_truth" / "customer_params.parquet"), o)
        for f, o in zip(folders, offsets, strict=True)
    ]
    pl.concat(params).sink_parquet(truth / "customer_params.parquet", compression="zstd")
    summaries = [json.loads((f / "_truth" / "summary.json").read_text()) for f in folders]
    summary = dict(summaries[0])
    for key in _COUNTS:
        summary[key] = sum(s[key] for s in summaries)
    for key in _MONEY:
        summary[key] = _amount_text(sum(_cents(s[key]) for s in summaries))
    (truth / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    listed = pl.concat(defects) if defects else pl.DataFrame(schema=dict.fromkeys(DEFECT_COLUMNS, pl.String))
    listed = listed.select(*DEFECT_COLUMNS).sort("entity", "source_file", "source_line")
    listed.write_csv(truth / "defects.csv")
    return listed.height


def write_shards(
    out: Path, customers: int, shard_size: int, seed: int, tl: Timeline, cat: Catalogue,
    dirty_rate: float, fmt: str,
) -> GenerateSummary:  # fmt: skip
    """The shop of `customers` accounts in ceil(customers / shard_size) shards of near-equal size."""
    sizes = [len(a) for a in np.array_split(np.arange(customers), -(-customers // shard_size))]
    start = datetime.fromtimestamp(tl.start, UTC).date()
    end = datetime.fromtimestamp(tl.end - DAY, UTC).date()
    campaigns = tl.campaigns()
    offsets = dict.fromkeys(KINDS, 0)
    rows = dict.fromkeys(ENTITIES, 0)
    paths: list[Path] = []
    defects: list[pl.DataFrame] = []
    seen: list[dict[str, int]] = []
    folders: list[Path] = []
    signup, channel = [], []
    taken: pl.Series | None = None
    for k, n in enumerate(sizes):

        def rng(stream: int, k: int = k) -> np.random.Generator:
            return np.random.default_rng([seed, stream, k])

        base = draw_base(rng(1), n, tl, campaigns[0], taken, offsets["customer"])
        write = _ShardWriter(offsets, out, fmt, dirty_rate, seed, customers, k)
        act = write_activity(rng, base, cat, campaigns, tl, write)
        folders.append(out / "_truth" / f"shard-{k:03d}")
        write_truth(folders[-1], base, act.buys, act.baskets, act.refunds, act.orders, None, start, end)
        seen.append(dict(offsets))
        write.numbered["customer"] = n
        offsets = {kind: offsets[kind] + write.numbered[kind] for kind in KINDS}
        for name, count in write.rows.items():
            rows[name] += count
        paths += write.paths
        defects += write.defects
        signup.append(base.signup)
        channel.append(base.channel)
        emails = base.people["email_norm"].unique()
        taken = emails if taken is None else pl.concat([taken, emails])
        del base, act, write
    shop_level = Writer(out, fmt, 0.0, seed, customers)
    shop_level("products", cat.frame.sort("product_id"), None)
    spend_rng = np.random.default_rng([seed, 12])
    shop_level(
        "marketing_spend",
        marketing_spend(spend_rng, np.concatenate(signup), np.concatenate(channel), tl),
        None,
    )
    rows |= shop_level.rows
    paths += shop_level.paths
    n_defects = _merge_truth(out, folders, seen, defects)
    for folder in folders:
        shutil.rmtree(folder)
    paths.sort(key=lambda p: (list(ENTITIES).index(p.relative_to(out).parts[0]), p))
    return GenerateSummary(out, rows, tuple(paths), n_defects)
