"""A pair's list on a day, folded from the ledger's changes (`exports.members`, ledger.py).

The ledger stores, per (destination, segment) and run day, only what changed against the
pair's previous success: the added and changed rows' records and the removed ids with a null
record. A day in `exports.member_starts` holds a whole list (a fold starts there: a ledger
written before changes were stored, a later day a rerun would otherwise alter, the first day
the retention window keeps). The list of day D is, per customer, their newest row at or
before D and not before D's start (the newest start at or before D), if its record is not
null. At 1M customers a next day changes ~5% of the 2.09M records (i23export), so a day adds
~100k rows instead of a whole list.
"""

from __future__ import annotations

import duckdb

from pipelines.warehouse import table_exists

# {targets}: a relation of (destination, segment, as_of_date); {start}: each target's start
STARTED = """select t.destination, t.segment, t.as_of_date, {start} as started from {targets} t"""
WITH_STARTS = """(select max(s.as_of_date) from exports.member_starts s where s.destination = t.destination
    and s.segment = t.segment and s.as_of_date <= t.as_of_date)"""
FOLD = """select destination, segment, as_of_date, customer_id, record{more} from (
    select t.destination, t.segment, t.as_of_date, m.customer_id,
        arg_max_null(m.record, m.as_of_date) as record{extra}
    from ({started}) t join {members} m
        on m.destination = t.destination and m.segment = t.segment and m.as_of_date <= t.as_of_date
        and m.as_of_date >= coalesce(t.started, date '0001-01-01')
    group by t.destination, t.segment, t.as_of_date, m.customer_id)
where record is not null"""


def folded(
    con: duckdb.DuckDBPyConnection, targets: str, members: str = "exports.members", *, where: bool = False
) -> str:
    """SQL: each target's list (destination, segment, as_of_date, customer_id, record), in no
    order. `targets`: a table or subquery of (destination, segment, as_of_date); `members`: the
    ledger's rows or a subquery of them (some people's: their lists' rows); `where`: also each
    row's `row_id` and `stored` (the day it is stored at, the target's or earlier). A ledger not
    yet upgraded (no starts table: a dry run before the upgrade) holds whole lists only."""
    start = WITH_STARTS if table_exists(con, "exports", "member_starts") else "t.as_of_date"
    extra = ", arg_max_null(m.rowid, m.as_of_date) as row_id, max(m.as_of_date) as stored" if where else ""
    started = STARTED.format(start=start, targets=targets)
    return FOLD.format(started=started, members=members, extra=extra, more=", row_id, stored" if where else "")
