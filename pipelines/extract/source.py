"""Open the shop database (with retries) and check its tables against the contract."""

from __future__ import annotations

import time
from typing import Any

import adbc_driver_postgresql.dbapi as pg

from pipelines.contract import ENTITIES
from pipelines.extract.errors import ExtractError, SourceUnavailable, redact
from pipelines.extract.tables import ACCEPTED, TABLES, WATERMARK_COLUMN, expected_columns


def normalise_url(url: str) -> str:
    """Airflow connection URIs say `postgres://`; libpq accepts both spellings."""
    for prefix in ("postgresql+psycopg2://", "postgresql+psycopg://"):
        if url.startswith(prefix):
            return "postgresql://" + url[len(prefix) :]
    return url


def connect(url: str, attempts: int = 3, wait_seconds: float = 2.0) -> Any:
    """A DB-API connection; a server that is down is retried with doubling waits, then
    reported with its address (never its password)."""
    error: Exception | None = None
    for attempt in range(attempts):
        try:
            con = pg.connect(normalise_url(url))
            cur = con.cursor()
            cur.execute("set time zone 'UTC'")  # timestamptz columns are read as UTC
            cur.close()
            return con
        except Exception as exc:  # the driver raises several classes for "cannot connect"
            error = exc
            if attempt + 1 < attempts:
                time.sleep(wait_seconds * 2**attempt)
    raise SourceUnavailable(
        f"shop database {redact(url)} unreachable after {attempts} attempts: "
        f"{str(error).splitlines()[0] if error else 'no error'}"
    )


def source_columns(con: Any, schema: str) -> dict[str, dict[str, str]]:
    """table -> column -> udt_name for the extracted tables."""
    cur = con.cursor()
    names = ", ".join(f"'{t.entity}'" for t in TABLES)
    cur.execute(
        "select table_name, column_name, udt_name from information_schema.columns"
        f" where table_schema = '{schema.replace(chr(39), '')}' and table_name in ({names})"
    )
    found: dict[str, dict[str, str]] = {}
    for table, column, udt in cur.fetchall():
        found.setdefault(table, {})[column] = udt
    cur.close()
    return found


def check_schema(con: Any, schema: str) -> dict[str, tuple[str, ...]]:
    """Raise ExtractError naming every missing table, missing required column and changed
    type; returns the optional contract columns each table lacks (extracted as null)."""
    found = source_columns(con, schema)
    problems: list[str] = []
    absent: dict[str, tuple[str, ...]] = {}
    for table in TABLES:
        columns = found.get(table.entity)
        if columns is None:
            problems.append(f"table {schema}.{table.entity} is missing")
            continue
        required = {*ENTITIES[table.entity].required_columns, WATERMARK_COLUMN}
        missing: list[str] = []
        for name, type_ in expected_columns(table.entity).items():
            udt = columns.get(name)
            if udt is None:
                if name in required:
                    problems.append(f"column {schema}.{table.entity}.{name} is missing")
                missing.append(name)
            elif udt not in ACCEPTED[type_]:
                problems.append(
                    f"column {schema}.{table.entity}.{name} has type {udt},"
                    f" expected one of {', '.join(sorted(ACCEPTED[type_]))} (contract type {type_})"
                )
        absent[table.entity] = tuple(missing)
    if problems:
        raise ExtractError("shop database does not match the landing contract:\n  " + "\n  ".join(problems))
    return absent
