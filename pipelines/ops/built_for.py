"""Which as-of date the marts in the warehouse were built for, so later stages read only their own.

`rapport export --as-of D2` on marts built for D1 would write D1's lists under D2 and move
`latest`; publish would label D1's marts D2. The build records its date and how far it got:
`running` while a step works, `marts` after dbt's marts, `fitted` after the CLV fit, `built` after
the models that read the fit. Each step needs its predecessor's state for the same date, and export
and publish need `built`, so CLV segments are never exported from another day's (or no) fit.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.warehouse import connect, table_exists

DDL = (
    "create schema if not exists rapport_meta; "
    "create table if not exists rapport_meta.build (as_of_date date, state varchar)"
)


class AsOfMismatch(RuntimeError):
    """The warehouse holds marts of another as-of date (or of a build that did not finish)."""


def record_build(warehouse: Path, as_of: date, state: str) -> None:
    with connect(warehouse) as con:
        con.execute(DDL)
        con.execute("begin transaction; delete from rapport_meta.build")
        con.execute("insert into rapport_meta.build values (?, ?)", [as_of, state])
        con.execute("commit")


def require_build(warehouse: Path, as_of: date, stage: str, states: tuple[str, ...] = ("built",)) -> None:
    """Warehouses from before this record (or hand-made ones) have no table and pass."""
    if not warehouse.exists():
        return
    with connect(warehouse, read_only=True) as con:
        found = table_exists(con, "rapport_meta", "build")
        rows = con.execute("select as_of_date, state from rapport_meta.build").fetchall() if found else None
    if rows is None:
        return
    built, state = rows[0] if rows else (None, "missing")
    if built == as_of and state in states:
        return
    what = f"a build for {built} that did not finish" if built == as_of or state == "running" else ""
    what = what or f"marts built for as-of {built}"
    raise AsOfMismatch(
        f"{stage} refused for as-of {as_of}: the warehouse holds {what}; "
        f"run `rapport build --as-of {as_of}` first"
    )
