"""Extract changed rows of the shop database into landing files, in Arrow batches."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.contract import ENTITIES
from pipelines.extract import watermark
from pipelines.extract.source import check_schema, connect
from pipelines.extract.tables import SELECT_AS, TABLES, SourceTable, q

VERSION = "_rapport_version"


@dataclass
class ExtractReport:
    run_id: str
    rows: dict[str, int] = field(default_factory=dict)
    null_versions: dict[str, int] = field(default_factory=dict)
    windows: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    absent_columns: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = [f"extract {self.run_id}:"]
        for entity, n in self.rows.items():
            low, high = self.windows[entity]
            out.append(f"  {entity:<12} {n:>9,} rows  version in [{low or '-inf'}, {high})")
            if self.null_versions.get(entity):
                out.append(f"    {self.null_versions[entity]:,} rows without updated_at (landed every run)")
            if self.absent_columns.get(entity):
                out.append(f"    absent in the source, landed as null: {self.absent_columns[entity]}")
        return out


def _version(table: SourceTable, alias: str, absent: tuple[str, ...]) -> str:
    cols = [f"{alias}.{q(c)}" for c in table.timestamps if c not in absent]
    return f"greatest({', '.join(cols)})"


def _query(
    schema: str, table: SourceTable, absent: dict[str, tuple[str, ...]], low: datetime | None, high: datetime
) -> str:
    miss = absent[table.entity]
    select = ", ".join(
        f"null::{SELECT_AS[c.type]} as {q(c.name)}"
        if c.name in miss
        else f"t.{q(c.name)}::{SELECT_AS[c.type]} as {q(c.name)}"
        for c in ENTITIES[table.entity].columns
    )
    version = _version(table, "t", miss)
    source = f"{q(schema)}.{q(table.entity)} t"
    if table.entity == "orders":  # an order waits for its customer row (see tables.py)
        customers = next(x for x in TABLES if x.entity == "customers")
        version = f"greatest({version}, {_version(customers, 'c', absent['customers'])})"
        source += f" left join {q(schema)}.{q('customers')} c on c.{q('customer_id')} = t.{q('customer_id')}"
    window = f"{version} < '{high.isoformat(sep=' ')}'"
    if low is not None:
        window += f" and {version} >= '{low.isoformat(sep=' ')}'"
    return f"select {select}, {version} as {VERSION} from {source} where ({window}) or {version} is null"


def _stream(con: Any, sql: str, out: Path) -> tuple[int, int, datetime | None]:
    """Write the query's batches to one Parquet file; (rows, rows without version, max version)."""
    cur = con.cursor()
    cur.execute(sql)
    reader = cur.fetch_record_batch()
    rows = nulls = 0
    high: datetime | None = None
    writer: pq.ParquetWriter | None = None
    try:
        for batch in reader:
            if batch.num_rows == 0:
                continue
            version = batch.column(VERSION)
            top = pc.max(version).as_py()
            high = top if high is None or (top is not None and top > high) else high
            nulls += version.null_count
            rows += batch.num_rows
            data = pa.Table.from_batches([batch]).drop_columns([VERSION])
            data = data.replace_schema_metadata(None)
            if writer is None:
                out.parent.mkdir(parents=True, exist_ok=True)
                writer = pq.ParquetWriter(out, data.schema)
            writer.write_table(data.cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()
        cur.close()
    return rows, nulls, high


def extract_shop(
    url: str,
    schema: str,
    landing: Path,
    as_of: date,
    run_id: str,
    *,
    lookback: timedelta,
    attempts: int = 3,
    wait_seconds: float = 2.0,
) -> ExtractReport:
    """Land every row whose version is in [watermark - lookback, as_of) as
    `<landing>/<entity>/extract=<run_id>/part.parquet`; the loader then stages it like any file."""
    high = datetime.combine(as_of, datetime.min.time())
    report = ExtractReport(run_id)
    con = connect(url, attempts, wait_seconds)
    try:
        absent = check_schema(con, schema)
        report.absent_columns = {k: v for k, v in absent.items() if v}
        state: dict[str, dict[str, Any]] = {}
        for table in TABLES:
            low = watermark.low_bound(landing, run_id, table.entity, lookback)
            folder = landing / table.entity / f"extract={run_id}"
            shutil.rmtree(folder, ignore_errors=True)  # a retry rewrites its own file only
            rows, nulls, top = _stream(con, _query(schema, table, absent, low, high), folder / "part.parquet")
            report.rows[table.entity], report.null_versions[table.entity] = rows, nulls
            report.windows[table.entity] = (low.isoformat(sep=" ") if low else None, high.isoformat(sep=" "))
            state[table.entity] = {
                "low": low.isoformat() if low else None,
                "high": top.isoformat() if top else None,
                "rows": rows,
            }
        watermark.record(landing, run_id, as_of.isoformat(), state)
    finally:
        con.close()
    return report
