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
# A row is in the list unless a later row of the customer in the same fold replaces it. The later
# rows are only the changes after the start (small): they are the hash join's build side, and the
# chain's rows with their records stream past it (an aggregate over the chain held every record
# of a pair: 2.15 s CPU and 696 MiB for the 33 baselines at 1M against 0.91 s and 504 MiB).
FOLD = """select t.destination, t.segment, t.as_of_date, m.customer_id, m.record
from ({started}) t join {members} m
    on m.destination = t.destination and m.segment = t.segment and m.as_of_date <= t.as_of_date
    and m.as_of_date >= coalesce(t.started, date '0001-01-01')
where m.record is not null and not exists (
    select 1 from ({started}) u join exports.members n
        on n.destination = u.destination and n.segment = u.segment and n.as_of_date <= u.as_of_date
        and n.as_of_date > coalesce(u.started, date '0001-01-01')
    where u.destination = t.destination and u.segment = t.segment and u.as_of_date = t.as_of_date
        and n.customer_id = m.customer_id and n.as_of_date > m.as_of_date)"""
# one pair's list on day $a whose fold starts at $f (`starts(...)`'s `started`, or any day before
# its first row): the filters are constants, so the scans skip the other pairs' row groups
# (the generic join: 0.23 s CPU for the largest list at 1M, this 0.06 s, a stored list 0.05 s)
ONE = """select m.customer_id, m.record from (select customer_id, record, as_of_date from exports.members
    where destination = $d and segment = $s and as_of_date between $f and $a and record is not null) m
anti join (select customer_id, as_of_date as later from exports.members
    where destination = $d and segment = $s and as_of_date > $f and as_of_date <= $a) n
    on n.customer_id = m.customer_id and n.later > m.as_of_date"""


def starts(con: duckdb.DuckDBPyConnection, targets: str) -> str:
    """SQL: the targets with each one's fold start (`started`, null: from its first row)."""
    start = WITH_STARTS if table_exists(con, "exports", "member_starts") else "t.as_of_date"
    return STARTED.format(start=start, targets=targets)


def folded(con: duckdb.DuckDBPyConnection, targets: str, members: str = "exports.members") -> str:
    """SQL: each target's list (destination, segment, as_of_date, customer_id, record), in no
    order. `targets`: a table or subquery of (destination, segment, as_of_date); `members`: the
    ledger's rows or a subquery of them (some people's: their lists' rows). A ledger not
    yet upgraded (no starts table: a dry run before the upgrade) holds whole lists only."""
    return FOLD.format(started=starts(con, targets), members=members)
