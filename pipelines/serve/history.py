"""customer_segment_history in the serving DuckDB file as a view over its periods.

The history gains one row per customer per run, so copying it into every version's file cost
more each day the pipeline had run (DECISIONLOG.md, issue 16, helpers i24history, i26history).
Its periods (customer_segment_periods, served anyway) hold the same rows: a run (customer, date)
exists iff each dimension has the period with valid_from <= date <= last_seen_as_of, over the
recorded as-of dates (`meta.segment_history_dates`). That holds only when no period spans a run
the customer was absent from (the periods have no gaps) and the periods were built from this
very history, which `sound` checks on the warehouse from counts, without copying a row:
3 * rows of the history = the periods' runs, and each period's runs = the recorded dates it
spans. When that does not hold (a fixture without periods, periods built for another date, a
customer missing from a run inside one of their periods), the history is copied as before.
Its Parquet file is written as before either way (from the warehouse query, as `views` mode does).
"""

from __future__ import annotations

from datetime import date

import duckdb

HISTORY = "marts.customer_segment_history"
PERIODS = "marts.customer_segment_periods"
DATES = "meta.segment_history_dates"
COLUMNS = ["customer_id", "as_of_date", "rfm_segment", "lifecycle_stage", "profit_tier"]
DIMENSIONS = COLUMNS[2:]
PERIOD_COLUMNS = {"customer_id", "dimension", "value", "valid_from", "last_seen_as_of", "runs"}


def _columns(con: duckdb.DuckDBPyConnection, name: str) -> list[str]:
    schema, table = name.split(".")
    return [
        c
        for (c,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = current_database()"
            " and table_schema = ? and table_name = ? order by ordinal_position",
            [schema, table],
        ).fetchall()
    ]


def dates_select(source: str, as_of: date) -> str:
    """The recorded as-of dates of `source` (a history) up to `as_of`."""
    return f"select distinct as_of_date from {source} where as_of_date <= date '{as_of.isoformat()}'"


def sound(con: duckdb.DuckDBPyConnection, as_of: date) -> bool:
    """Whether the warehouse's periods hold exactly its history's rows dated up to `as_of`."""
    if _columns(con, HISTORY) != COLUMNS or not set(_columns(con, PERIODS)) >= PERIOD_COLUMNS:
        return False
    day = f"date '{as_of.isoformat()}'"
    ((history_runs, period_runs, spanned, stray),) = con.execute(
        f"""
        with numbered as (
            select as_of_date, row_number() over (order by as_of_date) as n
            from ({dates_select(HISTORY, as_of)})
        ),
        spans as (
            select periods.runs, periods.dimension, last.n - first.n + 1 as spanned
            from {PERIODS} as periods
            left join numbered as first on first.as_of_date = periods.valid_from
            left join numbered as last on last.as_of_date = periods.last_seen_as_of
        )
        select
            (select 3 * count(*) from {HISTORY} where as_of_date <= {day}),
            (select coalesce(sum(runs), 0) from spans),
            (select coalesce(sum(spanned), 0) from spans),
            (select count(*) from spans where spanned is null or spanned <> runs
                or dimension not in ({", ".join(f"'{d}'" for d in DIMENSIONS)}))
        """
    ).fetchall()
    return history_runs == period_runs == spanned and stray == 0


def expansion(dates: str) -> str:
    """The history's rows from the served periods and `dates` (names in the file's own catalog)."""
    first, *others = DIMENSIONS
    joins = "".join(
        f" join {PERIODS} as {d} on {d}.customer_id = {first}.customer_id and {d}.dimension = '{d}'"
        f" and days.as_of_date between {d}.valid_from and {d}.last_seen_as_of"
        for d in others
    )
    values = ", ".join(f"{d}.value as {d}" for d in DIMENSIONS)
    return (
        f"select {first}.customer_id, days.as_of_date, {values} from {PERIODS} as {first}"
        f" join {dates} as days on days.as_of_date between {first}.valid_from and {first}.last_seen_as_of"
        f"{joins} where {first}.dimension = '{first}'"
    )


def write_view(con: duckdb.DuckDBPyConnection, catalog: str, dates: str) -> None:
    """`dates` (a query) as `<catalog>.meta.segment_history_dates` and the history as a view over
    it and the periods already in `catalog`; the view names them without a catalog, so it reads
    the file's own tables whatever name a reader attaches the file as."""
    con.execute(f'create schema if not exists "{catalog}".meta')
    con.execute(f'create table "{catalog}".{DATES} as {dates} order by as_of_date')
    con.execute(f'create view "{catalog}".{HISTORY} as {expansion(DATES)}')


def is_view(con: duckdb.DuckDBPyConnection, catalog: str) -> bool:
    """Whether the history in `catalog` (an attached serving file) is this module's view (not a
    table, nor a `views`-mode view over its Parquet, which has no dates table)."""
    found = con.execute(
        "select (select count(*) from duckdb_views() where database_name = $c"
        " and schema_name || '.' || view_name = $history),"
        " (select count(*) from duckdb_tables() where database_name = $c"
        " and schema_name || '.' || table_name = $dates)",
        {"c": catalog, "history": HISTORY, "dates": DATES},
    ).fetchall()[0]
    return found == (1, 1)
