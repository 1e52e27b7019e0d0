"""The floors the benchmark divides by, measured in the same run and so under the same load:
`floor_read` is plain DuckDB reading every landing file into tables (one read_csv per entity),
`floor_rfm` one hand-written SQL computing RFM scores from the order files."""

from __future__ import annotations

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


def floors(landing: Path, work: Path, as_of: str, env: dict[str, str]) -> tuple[float, float]:
    db = work / "floor.duckdb"
    read, read_peak, read_cpu = run(FLOOR_READ.format(landing=landing, db=db), env)
    db.unlink(missing_ok=True)
    rfm, rfm_peak, rfm_cpu = run(FLOOR_RFM.format(landing=landing, as_of=as_of), env)
    row("floor_read", read, read_peak, cpu=read_cpu)
    row("floor_rfm", rfm, rfm_peak, cpu=rfm_cpu)
    return read, rfm
