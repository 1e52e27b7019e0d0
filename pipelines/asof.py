"""The default as-of date for a landing folder: the day after its last order.

Reads the orders files the way the loader does (landing config mapping, delimiter found by
DuckDB's sniffer, the config's or the data's date format), so a folder that loads also has
a default date, and one that does not gets the same one-line reason instead of a traceback.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

from pipelines.load.config import LandingConfig
from pipelines.load.discover import discover
from pipelines.load.formats import DAY_FIRST, MONTH_FIRST, NAMED

_PARTITION = re.compile(r"date=(\d{4}-\d{2}-\d{2})")
_KEY = "landing config entities.orders"


def _column(config: LandingConfig) -> str:
    fmt = config.of("orders")
    mapped = [src for src, dst in (fmt.columns if fmt else {}).items() if dst == "ordered_at"]
    return mapped[0] if mapped else "ordered_at"


def _scan(path: Path, column: str, config: LandingConfig) -> str:
    col = '"' + column.replace('"', '""') + '"'
    if path.suffix.lower() == ".parquet":
        return f"select {col}::varchar as t from read_parquet('{path}')"
    fmt = config.of("orders")
    delim = f", delim='{fmt.delimiter}'" if fmt and fmt.delimiter else ""
    return f"select {col}::varchar as t from read_csv('{path}', all_varchar=true, ignore_errors=true{delim})"


def _latest(
    con: duckdb.DuckDBPyConnection, scans: str, formats: tuple[str, ...], now: datetime
) -> tuple[object, int]:
    """(latest order time up to now, how many values the formats read)."""
    listed = ", ".join("'" + f.replace("'", "''") + "'" for f in formats)
    parsed = f"coalesce(try_cast(trim(t) as timestamp), try_strptime(trim(t), [{listed}]))"
    rows = con.execute(
        f"select max(ts) filter (where ts <= ?), count(ts) from (select {parsed} as ts from ({scans}))",
        [now],
    ).fetchall()
    return (rows[0][0], int(rows[0][1])) if rows else (None, 0)


def default_as_of(landing: Path, config: LandingConfig | None = None) -> date:
    """Daily partitions name the day directly; otherwise the files are scanned.

    Absurd future timestamps (a dirty row dated 2099) must not move the date, so
    the scan ignores orders later than the wall clock: the only place rapport
    looks at the clock, and only to pick a default the user can override.
    """
    config = config or LandingConfig()
    if not landing.is_dir():
        raise FileNotFoundError(f"landing folder {landing} does not exist")
    patterns = {e: f.files for e, f in config.entities.items() if f.files}
    files = [f.path for f in discover(landing, patterns).files if f.entity == "orders"]
    if not files:
        raise FileNotFoundError(f"no orders file under {landing}: the landing contract needs one")
    days = {m.group(1) for p in files for m in [_PARTITION.search(str(p))] if m}
    if days:
        return date.fromisoformat(max(days)) + timedelta(days=1)
    column, fmt = _column(config), config.of("orders")
    scans = " union all ".join(_scan(p, column, config) for p in files)
    now = datetime.now().replace(microsecond=0)
    # a private connection, fully fetched: duckdb 2.0 keeps a half-read result open and
    # would block the next statement of whoever shares the default connection
    with duckdb.connect() as con:
        try:
            if fmt and fmt.date_formats:
                latest, _ = _latest(con, scans, tuple(fmt.date_formats), now)
            else:
                (day, n_day), (month, n_month) = (
                    _latest(con, scans, f + NAMED, now) for f in (DAY_FIRST, MONTH_FIRST)
                )
                if n_day == n_month and day != month:
                    raise ValueError(
                        f"the order dates under {landing} read both day-first and month-first:"
                        f" set {_KEY}.date_formats or give --as-of YYYY-MM-DD"
                    )
                latest = day if n_day >= n_month else month
        except duckdb.Error as e:
            first = str(e).splitlines()[0]
            raise ValueError(
                f"cannot read '{column}' of the orders files under {landing} ({first}):"
                f" map your header with {_KEY}.columns or give --as-of YYYY-MM-DD"
            ) from e
    if not isinstance(latest, datetime):
        raise ValueError(
            f"no readable '{column}' date in the orders files under {landing}:"
            f" set {_KEY}.date_formats or give --as-of YYYY-MM-DD"
        )
    return latest.date() + timedelta(days=1)
