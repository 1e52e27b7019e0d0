"""The ledger records of the pairs already written, kept on disk until the ledger's transaction.

The ledger is recorded only once every pair is written and the day folder is swapped in (a
failure leaves it at the last success), so each pair's records (customer_id, JSON record: what
the next run diffs against) wait until then. Held as polars frames they grew with the lists
(~490 MiB at 1M customers, the export's peak with DuckDB's insert on top). Each pair's frame is
written to a Parquet file in a hidden sibling of the day folder (`.<day>.ledger.tmp-*`, which
`paths.sweep_staging` removes if a run dies: it holds customer records) and the transaction
reads the files back. Same rows, same order.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from pipelines.export.paths import staging_dir


class PendingMembers:
    """Each written pair's records, on disk, in the order they were written."""

    def __init__(self, export_dir: Path, day: str) -> None:
        self.folder = staging_dir(export_dir, f"{day}.ledger")
        self.files: list[Path] = []

    def add(self, records: pl.DataFrame) -> None:
        path = self.folder / f"{len(self.files):04d}.parquet"
        records.select("customer_id", "record").write_parquet(path, compression="lz4", statistics=False)
        self.files.append(path)

    def pop(self) -> str:
        """The first pair's file not yet taken (as a path DuckDB's read_parquet takes)."""
        return str(self.files.pop(0))

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
