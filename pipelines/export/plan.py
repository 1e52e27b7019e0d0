"""Turn a warehouse snapshot into per-destination diffs, without side effects (dry-run safe)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

import polars as pl

from pipelines.export.audience import by_priority, eligible
from pipelines.export.config import Destination, ExportConfig
from pipelines.export.destinations import RENDERERS
from pipelines.export.diff import Diff, diff
from pipelines.export.read import Snapshot
from pipelines.export.removals import removal_rows
from pipelines.export.report import Audience


def audiences(snapshot: Snapshot) -> dict[str, pl.DataFrame]:
    blocked = snapshot.suppressed | snapshot.erased
    return {name: eligible(frame, blocked) for name, frame in snapshot.segments.items()}


def audience_counts(snapshot: Snapshot, kept: dict[str, pl.DataFrame]) -> tuple[Audience, ...]:
    return tuple(Audience(n, snapshot.segments[n].height, kept[n].height) for n in sorted(kept))


def plan(
    config: ExportConfig,
    kept: dict[str, pl.DataFrame],
    unsubscribed: pl.Series,
    baseline: Callable[[str, str], pl.DataFrame],
) -> Iterator[tuple[str, Destination, str, Diff]]:
    """Each (destination, segment)'s diff, made when it is asked for: the export writes one
    pair's files before the next pair's rows are rendered and its baseline is read (at 1M
    customers the 33 pairs' rendered lists held at once cost about a gigabyte, their baselines
    half a gigabyte). `baseline(destination, segment)`: see baseline.py."""
    for name, dest in config.enabled().items():
        chosen = by_priority(
            {s.name: kept[s.name] for s in dest.segments}, {s.name: s.priority for s in dest.segments}
        )
        for ref in dest.segments:
            members = chosen[ref.name].sort("customer_id")
            rows = RENDERERS[dest.type](members, dest.fields, ref.name)
            # erased people stay in the baseline: they leave as a removal (an unsubscribe)
            d = diff(rows, baseline(name, ref.name))
            yield name, dest, ref.name, replace(d, removed=removal_rows(dest.type, d.removed, unsubscribed))


def pairs(config: ExportConfig) -> list[tuple[str, str]]:
    return [(name, s.name) for name, d in config.enabled().items() for s in d.segments]
