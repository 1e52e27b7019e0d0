"""Fail the batch when quarantine would take a material share of a file's money.

Row rules quarantine a bad row and load the rest; that is right for a few broken rows and
wrong when a format the loader misread (`"3,443.07"` under a plain-number contract) sends
every large order to quarantine: the run would be green and revenue short. So
the amount carried by quarantined rows (estimated from their raw text, digits and dots kept)
is compared with the batch's total (per file would fail a one-order daily file for its one
bad row); above `max_share` the batch fails naming the file that lost most, the column, a raw
example and the landing-config key that reads it. A duplicate loses nothing
(its first copy loads) and is left out.
"""

from __future__ import annotations

import duckdb

from pipelines.load.errors import BatchRejected
from pipelines.load.keys import DUPLICATE, DUPLICATE_ACROSS
from pipelines.load.row_rules import WRONG_TYPE
from pipelines.load.schema import ident

MONEY = {"orders": "amount", "returns": "refund_amount", "order_lines": "unit_price"}
# digits and dots only, after a decimal comma ('12,50') became a dot: an estimate, for a share
_ESTIMATE = (
    "try_cast(nullif(regexp_replace(regexp_replace({v}, ',([0-9]{{1,2}})$', '.\\1'),"
    " '[^0-9.]', '', 'g'), '') as double)"
)


def _fix(entity: str, column: str, reason: str) -> str:
    if reason == WRONG_TYPE and column == MONEY.get(entity):
        return f"set landing config entities.{entity}.decimal_separator / .thousands_separator"
    if reason == WRONG_TYPE:
        return f"set landing config entities.{entity}.date_formats (or map the column in .columns)"
    return f"fix the rows (see `rapport quality`) or map the right column in entities.{entity}.columns"


def tally_value_loss(con: duckdb.DuckDBPyConnection, entity: str) -> None:
    """Add each file's amount and quarantined amount to `_value_per_file` (reads rules.py's
    `_checked`: the rows as landed, with their lines); a batch staged a chunk of files at a time
    adds once per chunk, and check_value_loss decides on the whole batch."""
    column = MONEY.get(entity)
    if column is None:
        return
    value = _ESTIMATE.format(v=f"t.{ident(column)}")
    con.execute("create temp table if not exists _value_per_file (f varchar, lost double, v double)")
    con.execute(
        f"insert into _value_per_file with q as (select distinct source_file, source_line"
        f"   from incoming._quarantine where entity = $e and reason not in ($d1, $d2)),"
        f" amounts as (select t._source_file as f, abs({value}) as v,"
        f"   q.source_line is not null as lost from _checked t"
        f"   left join q on q.source_file = t._source_file and q.source_line = t._source_line)"
        f" select f, coalesce(sum(v) filter (where lost), 0) as lost, sum(v) as v from amounts group by f",
        {"e": entity, "d1": DUPLICATE, "d2": DUPLICATE_ACROSS},
    )


def check_value_loss(con: duckdb.DuckDBPyConnection, entity: str, max_share: float) -> None:
    """Raise BatchRejected when the batch's quarantine carries more than max_share of its amount
    (the files tallied by tally_value_loss; the tally is dropped)."""
    column = MONEY.get(entity)
    if column is None:
        return
    rows = con.execute(
        "select arg_max(f, lost), sum(lost), sum(v) from _value_per_file having sum(lost) > $share * sum(v)",
        {"share": max_share},
    ).fetchall()
    con.execute("drop table _value_per_file")
    if not rows:
        return
    source_file, lost, total = rows[0]
    col, reason, example, n = con.execute(
        "select column_name, reason, any_value(value), count(*) from incoming._quarantine"
        " where entity = $e and source_file = $f and reason not in ($d1, $d2)"
        " group by all order by count(*) desc, column_name limit 1",
        {"e": entity, "f": source_file, "d1": DUPLICATE, "d2": DUPLICATE_ACROSS},
    ).fetchall()[0]
    raise BatchRejected(
        source_file,
        f"quarantine would drop {lost / total:.1%} of this batch's {entity}.{column}, most from this file"
        f" (limit {max_share:.0%}, "
        f"RAPPORT_MAX_QUARANTINED_VALUE_SHARE): {n} row(s) '{reason}' in '{col}', e.g. {example!r}; "
        + _fix(entity, col, reason),
    )
