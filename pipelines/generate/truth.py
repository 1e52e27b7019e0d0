"""Ground truth under <out>/_truth/: the hidden customer parameters, totals and defects."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.generate.behaviour import Purchases
from pipelines.generate.contacts import CODES
from pipelines.generate.customers import CHANNELS, Base, customer_ids
from pipelines.generate.orders import Baskets
from pipelines.generate.returns import Refunds
from pipelines.generate.timeline import masked

DEFECT_COLUMNS = ("entity", "source_file", "source_line", "kind", "column_name")


def _euros(cents: np.ndarray | pl.Series) -> pl.Series:
    return (pl.Series(cents).cast(pl.Decimal(18, 2)) / 100).cast(pl.Decimal(18, 2))


def _amount_text(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def write_truth(
    out: Path, base: Base, buys: Purchases, b: Baskets, r: Refunds,
    orders: pl.DataFrame, defects: pl.DataFrame | None, start: date, end: date,
) -> int:  # fmt: skip
    """Write the truth files; returns the number of defects recorded."""
    n = len(base.signup)
    folder = out / "_truth"
    folder.mkdir(parents=True, exist_ok=True)
    kept = (orders["status"] != "cancelled").to_numpy()
    amount = orders["amount"].to_numpy()
    refund = r.frame["refund_amount"].to_numpy()
    n_orders = np.bincount(b.customer[kept], minlength=n)
    net = np.bincount(b.customer[kept], weights=amount[kept], minlength=n)
    net -= np.bincount(b.customer[r.order], weights=refund, minlength=n)
    bought = np.bincount(buys.customer, minlength=n) > 0
    dropout_at = masked(buys.dropout_at, buys.dropout_at >= 0)
    owner = np.where(base.dup_of >= 0, base.dup_of, np.arange(n))
    params = pl.DataFrame(
        {
            "customer_id": customer_ids(np.arange(n)),
            "person_id": customer_ids(owner),
            "country": np.array(CODES)[base.country],
            "acquisition_channel": np.array(CHANNELS)[base.channel],
            "signed_up_at": pl.from_epoch(pl.Series(base.signup), "s"),
            "is_buyer": base.buys,
            "lambda": base.lam,
            "p_dropout": base.p_dropout,
            "dropout_at": pl.from_epoch(dropout_at, "s"),
            "alive_at_end": bought & (buys.dropout_at < 0),
            "mean_order_value": _euros(np.round(base.order_value).astype(np.int64)),
            "return_propensity": r.propensity,
            "orders": n_orders,
            "net_revenue": _euros(np.round(net).astype(np.int64)),
        }
    )
    params.write_parquet(folder / "customer_params.parquet", compression="zstd")
    total = int(amount[kept].sum()) - int(refund.sum())
    summary = {
        "customers": n,
        "people": int((base.dup_of < 0).sum()),
        "orders": int(kept.sum()),
        "cancelled_orders": int((~kept).sum()),
        "gross_revenue": _amount_text(int(amount[kept].sum())),
        "refunds": _amount_text(int(refund.sum())),
        "net_revenue": _amount_text(total),
        "currency": "EUR",
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
    }
    (folder / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    if defects is None:
        defects = pl.DataFrame(schema=dict.fromkeys(DEFECT_COLUMNS, pl.String))
    defects = defects.select(*DEFECT_COLUMNS).sort("entity", "source_file", "source_line")
    defects.write_csv(folder / "defects.csv")
    return defects.height
