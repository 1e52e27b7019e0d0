"""Hand-made warehouses with the tables the export reads, and export configs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipelines.export import ExportReport, export_segments

SEGMENT_DDL = """(customer_id varchar, email varchar, first_name varchar, last_name varchar,
    segment varchar, rfm_code varchar, net_revenue decimal(18,2), last_order_at timestamp,
    is_marketable boolean, as_of_date date, phone_e164 varchar, country varchar)"""
AS_OF = date(2024, 3, 1)
QUARANTINE_DDL = """(entity varchar, source_file varchar, source_line bigint, column_name varchar,
    value varchar, reason varchar, run_id varchar)"""

CONFIG = """
segments:
  at_risk: {size_check: false}
destinations:
  crm: {type: generic_csv, segments: [champions, win_back]}
  hubspot: {type: hubspot, segments: [champions], fields: {net_revenue: net_revenue}}
  mailchimp: {type: mailchimp, segments: [champions]}
  klaviyo:
    type: klaviyo
    segments: [{name: at_risk, priority: 1}, {name: win_back, priority: 2}, champions]
  google_ads: {type: google_ads, segments: [champions]}
  meta_ads: {type: meta_ads, segments: [champions]}
  lake: {type: parquet, segments: [win_back]}
"""


def person(i: int, marketable: bool | None = True, **extra: Any) -> dict[str, Any]:
    return {
        "customer_id": f"c{i:04d}",
        "email": f"person{i:04d}@example.com",
        "first_name": f"First{i}",
        "last_name": f"Last{i}",
        "segment": "Champions",
        "is_marketable": marketable,
        "phone_e164": f"+4915100{i:05d}",
        "country": "DE",
        **extra,
    }


def _table(con: duckdb.DuckDBPyConnection, name: str, ddl: str, rows: list[dict[str, Any]]) -> None:
    con.execute(f"create or replace table {name} {ddl}")
    if rows:
        frame = pl.DataFrame(rows)
        known = {c for (c,) in con.execute(f"select column_name from (describe {name})").fetchall()}
        con.register("_rows", frame.select(c for c in frame.columns if c in known).to_arrow())
        con.execute(f"insert into {name} by name select * from _rows")
        con.unregister("_rows")


def write_segments(
    path: Path,
    champions: list[dict[str, Any]],
    win_back: list[dict[str, Any]],
    at_risk: list[dict[str, Any]] | None = None,
    suppressions: list[dict[str, Any]] | None = None,
    erasures: list[dict[str, Any]] | None = None,
    quarantine: list[dict[str, Any]] | None = None,
) -> Path:
    """Segments + marts.customers (everyone, one source id each) + raw block lists."""
    everyone = {p["customer_id"]: p for p in [*champions, *win_back, *(at_risk or [])]}
    with duckdb.connect(str(path)) as con:
        for schema in ("segments", "marts", "raw"):
            con.execute(f"create schema if not exists {schema}")
        for table, rows in (("champions", champions), ("win_back", win_back), ("at_risk", at_risk or [])):
            _table(con, f"segments.segment_{table}", SEGMENT_DDL, rows)
        customers = [
            {"customer_id": c, "source_customer_ids": f"{c}|src-{c}", "email": p["email"],
             "phone_e164": p.get("phone_e164"), "unsubscribed_at": p.get("unsubscribed_at"),
             "has_marketing_consent": p.get("is_marketable")}
            for c, p in everyone.items()
        ]  # fmt: skip
        _table(
            con,
            "marts.customers",
            "(customer_id varchar, source_customer_ids varchar, email varchar, phone_e164 varchar,"
            " unsubscribed_at timestamp, has_marketing_consent boolean)",
            customers,
        )
        block = "(email varchar, customer_id varchar, phone varchar, reason varchar, suppressed_at varchar)"
        _table(con, "raw.suppressions", block, suppressions or [])
        _table(
            con,
            "raw.erasures",
            "(email varchar, customer_id varchar, phone varchar, requested_at varchar)",
            erasures or [],
        )
        _table(con, "raw._quarantine", QUARANTINE_DDL, quarantine or [])
    return path


def export(
    root: Path,
    as_of: date = AS_OF,
    run_id: str = "run-1",
    config: str = CONFIG,
    dry_run: bool = False,
    keep_days: int | None = None,
) -> ExportReport:
    path = root / "destinations.yml"
    path.write_text(config, encoding="utf-8")
    return export_segments(
        root / "w.duckdb",
        root / "exports",
        root / "quality",
        as_of,
        run_id,
        config_path=path,
        data_docs=False,
        dry_run=dry_run,
        keep_days=keep_days,
    )


def files_under(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
