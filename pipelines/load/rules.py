"""Type the untyped landing of one entity and sort its rows into good and quarantined.

Each value is cast once (into `_checked`); every rule is then one set-based statement
over the result (row_rules.py). Row rules come first; the key rules (keys.py) run on the rows that
passed them, so a broken first occurrence does not take a good later one down too.
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.load.keys import apply_key_rules
from pipelines.load.numbered import numbered_rows
from pipelines.load.row_rules import NO_IDENTIFIER, checked_sql, no_identifier_rule, row_rules, typed_values
from pipelines.load.schema import ident
from pipelines.load.withheld import keep_opt_outs


def _quarantine(con: duckdb.DuckDBPyConnection, sql: str, **params: str) -> None:
    con.execute(
        "insert into incoming._quarantine select $entity, _source_file, _source_line, " + sql,
        params,
    )


def apply_rules(
    con: duckdb.DuckDBPyConnection,
    entity: str,
    as_of: date,
    check_orphans: bool,
    earlier: str | None = None,
    known: tuple[str, str] | None = None,
) -> None:
    """Fill incoming.<entity> and incoming._quarantine from the entity's untyped rows (`earlier`,
    `known`: see apply_key_rules)."""
    con.execute(
        f"create or replace temp table _checked as {checked_sql(entity, as_of, numbered_rows(entity))}"
    )
    for name, reason, condition in row_rules(entity, as_of):
        _quarantine(
            con,
            f"$column, {ident(name)}, $reason from _checked where {condition}",
            entity=entity,
            column=name,
            reason=reason,
        )
    nobody = no_identifier_rule(entity)
    if nobody:  # a do-not-contact row naming nobody cannot be applied: it blocks the export
        column, values, blank = nobody
        _quarantine(
            con,
            f"$column, {values}, $reason from _checked where {blank}",
            entity=entity,
            column=column,
            reason=NO_IDENTIFIER,
        )
    # a view, not a copy: the key rules read a few of its columns, the staging insert all of them
    # once, and it leaves out whatever the quarantine holds by then (key verdicts included)
    clean = (
        f"not exists (select 1 from incoming._quarantine q where q.entity = '{entity}'"
        " and q.source_file = t._source_file and q.source_line = t._source_line)"
    )
    con.execute(
        f"create or replace temp view _typed as select {typed_values(entity)}, _source_file, _source_line"
        f" from _checked t where {clean}"
    )
    apply_key_rules(con, entity, check_orphans, earlier, known)
    if entity == "customers":
        keep_opt_outs(con)
    con.execute("drop view _typed")  # _checked stays for value_loss.py; stage.py drops it
