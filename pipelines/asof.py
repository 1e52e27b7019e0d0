"""The default as-of date for a landing folder: the day after its last order."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

_PARTITION = re.compile(r"date=(\d{4}-\d{2}-\d{2})")


def _order_files(landing: Path) -> list[Path]:
    under = list((landing / "orders").rglob("*")) if (landing / "orders").is_dir() else []
    return [p for p in [*landing.glob("orders.*"), *under] if p.suffix in (".csv", ".parquet")]


def default_as_of(landing: Path) -> date:
    """Daily partitions name the day directly; otherwise the files are scanned.

    Absurd future timestamps (a dirty row dated 2099) must not move the date, so
    the scan ignores orders later than the wall clock: the only place rapport
    looks at the clock, and only to pick a default the user can override.
    """
    files = _order_files(landing)
    if not files:
        raise FileNotFoundError(f"no orders file under {landing}: the landing contract needs one")
    days = {m.group(1) for p in files for m in [_PARTITION.search(str(p))] if m}
    if days:
        return date.fromisoformat(max(days)) + timedelta(days=1)
    scans = [
        f"select ordered_at::varchar as t from read_csv('{p}', all_varchar=true, ignore_errors=true)"
        if p.suffix == ".csv"
        else f"select ordered_at::varchar as t from read_parquet('{p}')"
        for p in files
    ]
    now = datetime.now().replace(microsecond=0)
    # a private connection, fully fetched: duckdb 2.0 keeps a half-read result open and
    # would block the next statement of whoever shares the default connection
    with duckdb.connect() as con:
        rows = con.execute(
            f"select max(ts) from (select try_cast(t as timestamp) as ts "
            f"from ({' union all '.join(scans)})) where ts <= ?",
            [now],
        ).fetchall()
    row = rows[0] if rows else None
    if row is None or row[0] is None:
        raise ValueError(f"no readable ordered_at in the orders files under {landing}")
    return row[0].date() + timedelta(days=1)
