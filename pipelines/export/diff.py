"""Compare a destination's rendered rows with those of its last successful export."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

PREVIOUS_SCHEMA = {"customer_id": pl.String, "record": pl.String}


@dataclass(frozen=True)
class Diff:
    full: pl.DataFrame  # rendered rows, key column customer_id first
    added: pl.DataFrame
    removed: pl.DataFrame  # as they were last exported
    changed: pl.DataFrame  # same customer, other values (already in `full`)
    unchanged: int
    # customer_id, record: what the ledger stores for the next diff, only the changes (ledger.py):
    # the added and changed rows' records and the removed ids with a null record
    records: pl.DataFrame


def records(rows: pl.DataFrame) -> pl.DataFrame:
    """One JSON text per row (column order kept), the unit of comparison and of the ledger."""
    values = [c for c in rows.columns if c != "customer_id"]
    return rows.select("customer_id", pl.struct(values).struct.json_encode().alias("record"))


def diff(rows: pl.DataFrame, previous: pl.DataFrame) -> Diff:
    current = records(rows)
    old = previous.select("customer_id", pl.col("record").alias("old_record"))
    both = current.join(old, on="customer_id", how="inner")
    changed_ids = both.filter(pl.col("record") != pl.col("old_record"))["customer_id"].implode()
    same = both.filter(pl.col("record") == pl.col("old_record")).select("customer_id")
    gone = old.join(current, on="customer_id", how="anti").sort("customer_id")
    dtype = pl.Struct({c: rows.schema[c] for c in rows.columns if c != "customer_id"})
    removed = gone.select("customer_id", pl.col("old_record").str.json_decode(dtype).alias("_r")).unnest("_r")
    return Diff(
        full=rows,
        # a first export adds its whole list: the frame itself (write.py then serialises it once)
        added=rows.join(old, on="customer_id", how="anti").select(rows.columns) if old.height else rows,
        removed=removed,
        changed=rows.filter(pl.col("customer_id").is_in(changed_ids)),
        unchanged=both.height - changed_ids.list.len().item(),
        records=pl.concat(
            [
                current.filter(pl.col("customer_id").is_in(same["customer_id"].implode()).not_()),
                gone.select("customer_id", record=pl.lit(None, pl.String)),
            ]
        ),
    )
