"""Each pair's diff baseline, read from the ledger when that pair is diffed, one pair at a time.

A pair's (destination, segment) baseline is its list (fold.py: folded from the ledger's
changes) of its newest successful export strictly before the as-of date (a rerun compares
with what preceded it, never with itself). At 1M customers the 33 pairs' baselines are 2.09M
JSON records: read with the snapshot and held through the gate and the writes, they cost ~490
MiB held and ~1.3 GB at the read (the next day's peak). Read per pair on the export's
connection, one is in memory at a time.

The baseline must be what the ledger held when the run started: `ledger_erase.erase` runs
before the pairs are diffed and deletes erased people's records older than the newest success, which is a
pair's baseline when that pair's last success is older than another's. So the erased people's
baseline rows are copied to a temp table first (a few rows) and read from there.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import polars as pl

from pipelines.export.diff import PREVIOUS_SCHEMA
from pipelines.export.fold import ONE, folded, starts
from pipelines.warehouse import table_exists

# temp tables: the connection may be the read-only one of a dry run
LAST = """create or replace temp table _export_last as
select destination, segment, max(as_of_date) as as_of_date
from exports.runs semi join _export_pairs using (destination, segment)
where status = 'success' and as_of_date < $a group by destination, segment"""
SPARED = """create or replace temp table _export_spared as
select destination, segment, customer_id, record from ({fold})"""
THEIRS = "(select * from exports.members semi join _export_erased using (customer_id))"
# Unordered:
# diff.py only joins the baseline and sorts what it takes from it (the removed rows); DuckDB's
# sort of the 2.1M records cost ~0.3 s CPU and ~1 s wall at 1M customers.
READ = f"""select customer_id, record from ({ONE}) anti join _export_erased using (customer_id)
    union all select customer_id, record from _export_spared where destination = $d and segment = $s"""


def baselines(
    con: duckdb.DuckDBPyConnection, pairs: list[tuple[str, str]], as_of: date, erased: list[str]
) -> Callable[[str, str], pl.DataFrame]:
    """A reader of each pair's baseline (customer_id, record; in no order) as the ledger holds
    it now; call before `ledger_erase.erase(con, erased, ...)` on the same connection."""
    empty = pl.DataFrame(schema=PREVIOUS_SCHEMA)
    ledger = all(table_exists(con, "exports", t) for t in ("runs", "members"))
    if not ledger or not pairs:
        return lambda destination, segment: empty
    wanted = pl.DataFrame(pairs, schema={"destination": pl.String, "segment": pl.String}, orient="row")
    ids = pl.DataFrame({"customer_id": erased}, schema={"customer_id": pl.String})
    con.register("_export_pairs", wanted.to_arrow())
    con.register("_export_erased_now", ids.to_arrow())
    try:
        con.execute("create or replace temp table _export_erased as select * from _export_erased_now")
        con.execute(LAST, {"a": as_of})
        con.execute(SPARED.format(fold=folded(con, "_export_last", THEIRS)))
    finally:
        con.unregister("_export_pairs")
        con.unregister("_export_erased_now")

    last = {
        (d, s): (a, f)
        for d, s, a, f in con.execute(f"select * from ({starts(con, '_export_last')})").fetchall()
    }

    def read(destination: str, segment: str) -> pl.DataFrame:
        if (destination, segment) not in last:
            return empty
        day, started = last[(destination, segment)]
        params = {"d": destination, "s": segment, "a": day, "f": started or date.min}
        found = con.sql(READ, params=params).pl()
        return found.cast(PREVIOUS_SCHEMA) if found.height else empty

    return read
