"""generate_shop: a whole demo shop's exports, written to a landing folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from pipelines.contract import ENTITIES
from pipelines.generate.behaviour import purchases
from pipelines.generate.customers import customer_rows, draw_base
from pipelines.generate.dirty import PLAN, inject
from pipelines.generate.emails import email_events
from pipelines.generate.orders import baskets, line_rows, order_rows
from pipelines.generate.privacy import privacy_lists
from pipelines.generate.products import catalogue
from pipelines.generate.referrals import referrals
from pipelines.generate.returns import refunds
from pipelines.generate.sessions import web_sessions
from pipelines.generate.spend import marketing_spend
from pipelines.generate.support import nps, tickets
from pipelines.generate.timeline import DAY, Timeline
from pipelines.generate.truth import write_truth
from pipelines.generate.write import garble_marked, to_lines, to_text, to_typed, write_csv, write_parquet


@dataclass(frozen=True)
class GenerateSummary:
    out: Path
    rows: Mapping[str, int]  # rows written per entity, restated and duplicated rows included
    paths: tuple[Path, ...]  # every landing file written, in entity order
    defects: int  # rows listed in _truth/defects.csv


class _Writer:
    def __init__(self, out: Path, fmt: str, dirty_rate: float, seed: int, n_customers: int):
        self.out, self.fmt, self.dirty_rate = out, fmt, dirty_rate
        self.seed, self.n_customers = seed, n_customers
        self.rows: dict[str, int] = {}
        self.paths: list[Path] = []
        self.defects: list[pl.DataFrame] = []

    def __call__(self, name: str, frame: pl.DataFrame, day_of: str | None) -> None:
        entity = ENTITIES[name]
        day = (pl.col(day_of) // DAY).cast(pl.Int32).cast(pl.Date) if day_of else pl.lit(None, pl.Date)
        frame = frame.with_columns(day.alias("_day"))
        if self.fmt == "parquet":
            written = write_parquet(self.out, entity, to_typed(frame, entity))
            self.rows[name] = frame.height
        else:
            text = to_text(frame, entity)
            if self.dirty_rate > 0 and name in PLAN:
                rng = np.random.default_rng([self.seed, 100 + list(ENTITIES).index(name)])
                types = {c.name: c.type for c in entity.columns}
                text = inject(rng, name, text, types, self.dirty_rate, self.n_customers)
            lines = to_lines(text, entity)
            written = write_csv(self.out, entity, lines)
            self.rows[name] = lines.height
            if "_kind" in lines.columns:
                self._record(name, lines.filter(pl.col("_kind").is_not_null()))
        self.paths += written

    def _record(self, name: str, marked: pl.DataFrame) -> None:
        day = marked["_day"].cast(pl.String)
        defects = pl.DataFrame(
            {
                "entity": pl.Series([name] * marked.height, dtype=pl.String),
                "source_file": f"{name}/date=" + day + f"/{name}.csv",
                "source_line": marked["_line"],
                "kind": marked["_kind"],
                "column_name": marked["_col"],
            }
        )
        for file in defects.filter(pl.col("kind") == "bad_encoding")["source_file"].unique().sort():
            garble_marked(self.out / file)
        self.defects.append(defects)


def generate_shop(
    out: Path,
    customers: int,
    seed: int = 42,
    start: date = date(2024, 7, 1),
    end: date = date(2026, 6, 30),
    dirty_rate: float = 0.0,
    fmt: Literal["csv", "parquet"] = "csv",
) -> GenerateSummary:
    """Write a demo shop's exports for `customers` accounts signing up between start and end.

    Same arguments give byte-identical files. dirty_rate > 0 (CSV only) makes about
    that share of the orders, order_lines and customers rows defective and lists
    each defect in _truth/defects.csv.
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

    def rng(stream: int) -> np.random.Generator:
        return np.random.default_rng([seed, stream])

    out = Path(out)
    tl = Timeline.build(start, end)
    camp_t, camp_ids = tl.campaigns()
    base = draw_base(rng(1), customers, tl, camp_t)
    buys = purchases(rng(2), base, tl)
    cat = catalogue(rng(3))
    b = baskets(rng(4), base, buys, cat, tl)
    r = refunds(rng(5), b, cat, customers, tl)
    write = _Writer(out, fmt, dirty_rate, seed, customers)
    write("customers", customer_rows(base), "updated_at")
    write("products", cat.frame.sort("product_id"), None)
    orders = order_rows(rng(6), b, r.last_per_order, tl)
    write("orders", orders, "ordered_at")
    write("order_lines", line_rows(b, cat).with_columns(_at=b.ordered_at[b.order_of_line]), "_at")
    write("returns", r.frame, "returned_at")
    write("email_events", email_events(rng(7), base, camp_t, camp_ids, tl), "occurred_at")
    ticket_frame, ticketed = tickets(rng(8), base, b, r, tl)
    write("support_tickets", ticket_frame, "opened_at")
    write("web_sessions", web_sessions(rng(9), base, buys, tl), "started_at")
    write("nps_responses", nps(rng(10), b, r, ticketed, tl), "responded_at")
    write("referrals", referrals(rng(11), base, tl), "referred_at")
    write("marketing_spend", marketing_spend(rng(12), base, tl), None)
    suppressions, erasures = privacy_lists(rng(13), base, tl)
    write("suppressions", suppressions, "_at")
    write("erasures", erasures, "_at")
    defects = pl.concat(write.defects) if write.defects else None
    n_defects = write_truth(out, base, buys, b, r, orders, defects, start, end)
    return GenerateSummary(out, dict(write.rows), tuple(write.paths), n_defects)
