"""Forget erased customers' exported records in the ledger (`exports.members`, changes: fold.py).

Every record of theirs goes but those the lists of this run's baseline day and later hold: the
run sends them as removals from its baseline, and a rerun of this day must send the same. The
next day's baseline no longer holds them (the removal), so then nothing does. The lists of the
days kept must not change: a person unchanged since an older day has their row at that older
day, so before their rows older than the baseline day go, each pair's first success from that
day on (if it starts no fold itself) gets their row as its list holds it.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipelines.export.fold import folded

# the newest success before the run's date (any pair's), or the run's date: rows before it go
BEFORE = (
    "coalesce((select max(as_of_date) from exports.runs where status = 'success' and as_of_date < $a), $a)"
)
# per pair, its first success from that day on that starts no fold: the day before it, as the target
FIRST = f"""create or replace temp table _erase_first as
select destination, segment, min(as_of_date) as first, min(as_of_date) - 1 as as_of_date
from exports.runs where status = 'success' and as_of_date >= {BEFORE} group by all"""
KEEP = """insert into exports.members
select f.destination, f.segment, f.first, k.customer_id, k.record
from ({fold}) k join _erase_first f using (destination, segment)
where f.first not in (select s.as_of_date from exports.member_starts s
    where s.destination = f.destination and s.segment = f.segment)
  and not exists (select 1 from exports.members m where m.destination = f.destination
    and m.segment = f.segment and m.as_of_date = f.first and m.customer_id = k.customer_id)"""
THEIRS = "(select * from exports.members semi join _erased using (customer_id) where as_of_date < {before})"
OLD = "customer_id in (select customer_id from _erased) and as_of_date < {before}"
# a removal row with no record of theirs before it in the pair removes nothing
EMPTY = """customer_id in (select customer_id from _erased) and record is null and not exists (
    select 1 from exports.members p where p.destination = exports.members.destination
    and p.segment = exports.members.segment and p.customer_id = exports.members.customer_id
    and p.as_of_date < exports.members.as_of_date and p.record is not null)"""


def erase(con: duckdb.DuckDBPyConnection, customer_ids: list[str], as_of: date) -> int:
    """Delete the erased customers' ledger rows (see the module); returns the rows deleted."""
    con.register("_erased", pl.DataFrame({"customer_id": customer_ids}, schema={"customer_id": pl.String}))
    try:
        con.execute(FIRST, {"a": as_of})
        fold = folded(con, "_erase_first", THEIRS.format(before=BEFORE))
        con.execute(KEEP.format(fold=fold), {"a": as_of})
        count = 0
        for where, params in ((OLD.format(before=BEFORE), {"a": as_of}), (EMPTY, {})):
            ((n,),) = con.execute(f"select count(*) from exports.members where {where}", params).fetchall()
            con.execute(f"delete from exports.members where {where}", params)
            count += int(n)
    finally:
        con.unregister("_erased")
    return count
