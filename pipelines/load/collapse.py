"""Batch-level defects that show only once a file's rows are checked: a systematic defect.

One wrong value in a file is a row defect; when most of a file's rows fail the same rule
(every key repeated, a column that no longer parses), the export itself changed or broke,
and loading the few rows that survive would silently drop most of the day.
"""

from __future__ import annotations

import duckdb

from pipelines.contract import DO_NOT_CONTACT
from pipelines.load.errors import BatchRejected
from pipelines.load.keys import DUPLICATE
from pipelines.load.row_rules import WRONG_TYPE

# A file fails when at least MIN_ROWS rows and this share of its rows break one rule.
MAX_SHARE = 0.5
MIN_ROWS = 3
_SYSTEMATIC = {DUPLICATE: "key uniqueness collapsed", WRONG_TYPE: "schema change"}


def check_collapse(con: duckdb.DuckDBPyConnection, rows_in: dict[str, int]) -> None:
    """Raise BatchRejected for the first file (in path order) where one rule took most rows."""
    found = con.execute(
        "select source_file, reason, column_name, count(distinct source_line) as n"
        " from incoming._quarantine where reason in $reasons and entity not in $dnc"
        " group by all order by all",
        # a do-not-contact file never stops the load: its defects block the export instead
        {"reasons": list(_SYSTEMATIC), "dnc": list(DO_NOT_CONTACT)},
    ).fetchall()
    for source_file, reason, column, n in found:
        total = rows_in.get(source_file, 0)
        if n >= MIN_ROWS and n >= MAX_SHARE * total:
            what = f"{n} of {total} rows have a {reason} in '{column}'"
            raise BatchRejected(source_file, f"{_SYSTEMATIC[reason]} ({what})")
