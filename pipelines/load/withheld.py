"""Opt-outs carried by customers rows that are quarantined for another reason.

A row with a bad birthday or a duplicate key is quarantined whole (rows in = loaded +
quarantined stays exact), but an opt-out it carries is still the person's wish: it is
kept here, by every identifier the row gives, and the export treats it as a withdrawal.
"""

from __future__ import annotations

import duckdb

OPT_OUTS = (
    ("customer_id", "varchar"),
    ("email", "varchar"),
    ("phone", "varchar"),
    ("source_file", "varchar"),
    ("source_line", "bigint"),
)


def opt_outs_sql(quarantine: str = "incoming._quarantine") -> str:
    """Opt-outs of the customers rows of `_checked` that `quarantine` holds (OPT_OUTS columns)."""
    return (
        "select customer_id, email, phone, _source_file, _source_line from _checked t"
        " where (marketing_consent__typed = false or unsubscribed_at__typed is not null)"
        f" and exists (select 1 from {quarantine} q where q.entity = 'customers'"
        " and q.source_file = t._source_file and q.source_line = t._source_line)"
    )


def keep_opt_outs(con: duckdb.DuckDBPyConnection) -> None:
    """Record the opt-outs of quarantined customers rows (reads the loader's `_checked`)."""
    con.execute(f"insert into incoming._withheld_opt_outs {opt_outs_sql()}")
