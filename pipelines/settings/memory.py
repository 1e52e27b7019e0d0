"""DuckDB's memory caps: one for every process, one of its own for each task that needed one.

Part of the settings (pipelines/settings, prefix RAPPORT_): Settings inherits these fields. Each
task's own cap was set by a measurement (DECISIONLOG.md, issue 16); where both are set, the
smaller applies, so lowering the general cap lowers them all.
"""

from __future__ import annotations

import re

from pydantic import Field
from pydantic_settings import BaseSettings

_SIZE = r"^[0-9]+(\.[0-9]+)? ?([KMGT]i?B)$"
_UNITS = {"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def _bytes(size: str) -> float:
    """'2.5 GiB' -> bytes, for a size that matched _SIZE."""
    found = re.fullmatch(r"([0-9.]+) ?([KMGT]i?B)", size)
    if found is None:
        raise ValueError(f"not a memory size: {size!r}")
    return float(found[1]) * _UNITS[found[2]]


class MemoryCaps(BaseSettings):
    """The caps' fields and the cap each task applies; read from the environment as part of
    Settings (its prefix and rules), never on their own."""

    # DuckDB's own default is 80% of RAM per process; past the cap it spills to <warehouse>.tmp.
    # At 1M customers staging peaks at 16.8 GiB uncapped, 4.7 GiB with 4GB (DECISIONLOG.md).
    duckdb_memory_limit: str = Field("8GB", pattern=_SIZE)
    # Staging holds one chunk of an entity's files at a time (stage_chunk_bytes); past this cap
    # DuckDB evicts the staged rows it has already written instead of keeping them cached (1M:
    # 3,338 MiB peak under 3GB, 1,899 MiB under 1.5GB, same CPU). The smaller of the two caps
    # applies (DECISIONLOG.md, issue 16).
    duckdb_stage_memory_limit: str = Field("1.5GB", pattern=_SIZE)
    # forget_erased (its sweep's distinct values, the warehouse rewrite) under its own cap: with
    # none, DuckDB's buffer pool kept what it read, 3.9-4.3 GiB peak at 1M customers; the smaller
    # of the two caps applies (DECISIONLOG.md, issue 16m)
    duckdb_forget_memory_limit: str = Field("2GB", pattern=_SIZE)
    # publish_marts streams each table into the serving file and its Parquet; under the general
    # cap DuckDB's buffer pool kept every block it read or wrote (2.2 GiB at 1M, 7.0 GiB at 3M);
    # the smaller of the two caps applies (DECISIONLOG.md, issue 16, helper i17pub)
    duckdb_publish_memory_limit: str = Field("2GB", pattern=_SIZE)
    # the export's writer connection (the ledger's insert of every list's records, the baselines'
    # reads): under the general cap DuckDB kept the inserted blocks of the ledger's transaction,
    # +0.5 GiB at 1M customers, growing with the lists; the smaller of the two caps applies
    # (DECISIONLOG.md, issue 16, helper i20export)
    duckdb_export_memory_limit: str = Field("1GB", pattern=_SIZE)
    # every dbt command's cap (in the profile: one value for all, or dbt re-parses); the smaller
    # applies. 3GB at 1M: peak 3.4 -> 3.2 GiB only, so 8GB by default (DECISIONLOG.md, i18dbt)
    duckdb_dbt_memory_limit: str = Field("8GB", pattern=_SIZE)
    # commit_load copies the staged batch into raw in one transaction; under the general cap DuckDB
    # kept the inserted blocks (2.5 GiB at 3M customers, 8 GiB at 10M): 1.6 GiB under 1.5GB at 3M, same
    # CPU and rows; the smaller of the two caps applies (DECISIONLOG.md, issue 16, helper i27stage)
    duckdb_commit_memory_limit: str = Field("2GB", pattern=_SIZE)

    @property
    def stage_memory_limit(self) -> str:
        """The smaller of the staging cap and the general DuckDB cap."""
        return min(self.duckdb_stage_memory_limit, self.duckdb_memory_limit, key=_bytes)

    @property
    def forget_memory_limit(self) -> str:
        """The smaller of the forget cap and the general DuckDB cap."""
        return min(self.duckdb_forget_memory_limit, self.duckdb_memory_limit, key=_bytes)

    @property
    def publish_memory_limit(self) -> str:
        """The smaller of the publish cap and the general DuckDB cap."""
        return min(self.duckdb_publish_memory_limit, self.duckdb_memory_limit, key=_bytes)

    @property
    def export_memory_limit(self) -> str:
        """The smaller of the export cap and the general DuckDB cap."""
        return min(self.duckdb_export_memory_limit, self.duckdb_memory_limit, key=_bytes)

    @property
    def commit_memory_limit(self) -> str:
        """The smaller of the commit cap and the general DuckDB cap."""
        return min(self.duckdb_commit_memory_limit, self.duckdb_memory_limit, key=_bytes)

    @property
    def dbt_memory_limit(self) -> str:
        """The smaller of the dbt cap and the general DuckDB cap."""
        return min(self.duckdb_dbt_memory_limit, self.duckdb_memory_limit, key=_bytes)
