"""The floors the benchmark divides by, measured in the same run and so under the same load:
`floor_read` is plain DuckDB reading every landing file into tables (one read_csv per entity),
`floor_rfm` one hand-written SQL computing RFM scores from the order files, and `floor_serve`
plain DuckDB writing every table publish serves (schemas marts and segments of the day's
warehouse) in publish's two formats: into a new storage-v1.0.0 DuckDB file, then from it as zstd-1
Parquet. `floor_serve` is what any full snapshot for BI costs the engine, whatever the pipeline
does around it, so it bounds a day's run from below (issue 16, P3)."""

from __future__ import annotations

import shutil
from pathlib import Path

from benchmarks.measured import row, run

FLOOR_READ = """
import duckdb, pathlib
land = pathlib.Path('{landing}')
con = duckdb.connect('{db}')
for entity in sorted(p for p in land.iterdir() if p.is_dir() and not p.name.startswith('_')):
    read = f"create or replace table {{entity.name}} as select * from read_csv('{{entity}}/**/*.csv', "
    try:
        con.execute(read + "hive_partitioning = false)")
    except (duckdb.ConversionException, duckdb.InvalidInputException):
        # types sniffed from the first file fail on a later one (a small shop's postal_code
        # looks numeric in one file only): read as text, as the loader does before its casts
        con.execute(read + "hive_partitioning = false, all_varchar = true)")
"""
FLOOR_RFM = """
import duckdb
duckdb.sql('''
with orders as (
    select customer_id, cast(ordered_at as date) as day, amount
    from read_csv('{landing}/orders/**/*.csv', hive_partitioning = false)
    where status <> 'cancelled' and cast(ordered_at as date) < date '{as_of}'
),
per_customer as (
    select customer_id, date '{as_of}' - max(day) as recency_days,
           count(distinct day) as frequency, sum(amount) as monetary
    from orders group by customer_id
)
select customer_id,
       ntile(5) over (order by recency_days desc) as r, ntile(5) over (order by frequency) as f,
       ntile(5) over (order by monetary) as m
from per_customer
''').fetchall()
"""
FLOOR_SERVE = """
import duckdb, pathlib
from pipelines.serve.layout import STORAGE_VERSION
from pipelines.serve.table import PARQUET  # publish's own settings, so the floor writes the same files
out = pathlib.Path('{out}')
con = duckdb.connect()
con.execute("attach '{warehouse}' as wh (read_only)")
con.execute(f"attach '{out}/floor.duckdb' as serving (storage_version '{{STORAGE_VERSION}}')")
tables = con.execute(
    "select schema_name, table_name from duckdb_tables() "
    "where database_name = 'wh' and schema_name in ('marts', 'segments') order by all"
).fetchall()
for schema, table in tables:
    name = f'"{{schema}}"."{{table}}"'
    con.execute(f'create schema if not exists serving."{{schema}}"')
    con.execute(f"create table serving.{{name}} as select * from wh.{{name}}")
    parquet = out / f"{{schema}}.{{table}}.parquet"
    con.execute(f"copy serving.{{name}} to '{{parquet}}' ({{PARQUET}})")
con.execute("detach serving")
"""


def serve_floor(warehouse: Path, work: Path, env: dict[str, str]) -> float:
    """`floor_serve` (module docstring) of the warehouse as the day left it; the files are removed."""
    out = work / "floor_serve"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    try:
        seconds, peak, cpu = run(FLOOR_SERVE.format(warehouse=warehouse, out=out), env)
    finally:
        shutil.rmtree(out, ignore_errors=True)
    row("floor_serve", seconds, peak, cpu=cpu)
    return seconds


def floors(landing: Path, work: Path, as_of: str, env: dict[str, str]) -> tuple[float, float]:
    db = work / "floor.duckdb"
    read, read_peak, read_cpu = run(FLOOR_READ.format(landing=landing, db=db), env)
    db.unlink(missing_ok=True)
    rfm, rfm_peak, rfm_cpu = run(FLOOR_RFM.format(landing=landing, as_of=as_of), env)
    row("floor_read", read, read_peak, cpu=read_cpu)
    row("floor_rfm", rfm, rfm_peak, cpu=rfm_cpu)
    return read, rfm
