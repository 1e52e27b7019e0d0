"""Seconds and peak RSS of forget_erased on a kept benchmark state, for one or two code trees.

    uv run --frozen python benchmarks/forget_scale.py --workdir /work/bench/run1m/s15b \
        --scratch /tmp/forget --erase 3000 [--code /path/to/other/checkout]

`--workdir` is a home `pipeline_scale.py --workdir` kept after a run (its forget already ran, so
nobody is left to erase). A copy of its warehouse under `--scratch` gets erasure requests for
`--erase` customers (half by e-mail, half by id, picked by hash order: the same people every time)
in `raw.erasures`, and `intermediate.int_customers_erased` rebuilt with dbt's compiled SQL of that
model from the workdir (what the next build does; the marts are not rebuilt, so they still hold
the people: a heavier sweep than a real day's). Then each code tree (this one, and `--code` if
given) runs the forget stage in a fresh process on a fresh copy of that state, as the DAG task
does; printed: seconds, peak RSS, and whether every table of the results is equal (row count and
sum of row hashes per table). `--scratch` needs room for three copies of the warehouse.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from pipelines.erasure_key import install_hmac
from pipelines.identity import install

ROOT = Path(__file__).resolve().parents[1]
MODEL = "dbt/target/compiled/rapport/models/intermediate/int_customers_erased.sql"
REQUESTS = """
insert into raw.erasures
select case when i % 2 = 0 then email end, case when i % 2 = 1 then customer_id end, null,
    '2026-07-01 01:00:00', 'erasures/date=2026-07-01/bench.csv', i + 2
from (
    select email, customer_id, row_number() over (order by hash(customer_id)) - 1 as i
    from (select distinct on (customer_id) email, customer_id from raw.customers
          where email is not null and customer_id is not null order by customer_id)
    where customer_id not in
        (select rapport_id_key(customer_id) from raw.erasures where customer_id is not null)
) where i < $n
"""
FINGERPRINT = "select count(*), sum(hash(*columns(*))::hugeint) from {}"


def prepare(workdir: Path, state: Path, erase: int) -> int:
    shutil.copyfile(workdir / "warehouse.duckdb", state)
    with duckdb.connect(str(state)) as con:
        install(con)
        install_hmac(con)  # the model hashes keys (RAPPORT_HOME: the workdir, for its erasure key)
        db = con.execute("select current_database()").fetchall()[0][0]
        model = (workdir / MODEL).read_text().replace('"warehouse".', f'"{db}".')
        con.execute(REQUESTS, {"n": erase})
        con.execute(f"create or replace table intermediate.int_customers_erased as {model}")
        return int(con.execute("select count(*) from intermediate.int_customers_erased").fetchall()[0][0])


def fingerprint(path: Path) -> dict[str, tuple[object, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables"
            " where table_catalog = current_database() and table_type = 'BASE TABLE'"
        ).fetchall()
        return {f"{s}.{t}": con.execute(FINGERPRINT.format(f'"{s}"."{t}"')).fetchall()[0] for s, t in tables}


def forget(code: Path, workdir: Path, state: Path, home: Path) -> tuple[float, float, str]:
    """Seconds, peak MiB and printed lines of the forget stage of `code` on a copy of `state`."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    shutil.copytree(workdir / "secrets", home / "secrets")  # the erasure key the state's hashes use
    shutil.copyfile(state, home / "warehouse.duckdb")
    env = {**os.environ, "RAPPORT_HOME": str(home), "PYTHONPATH": str(code), "GX_ANALYTICS_ENABLED": "false"}
    # as the DAG calls it; the default purge window (0 days) rewrites on the day whatever the date
    call = "from pipelines.stages.deliver import forget; print(forget('bench', '2026-07-01'))"
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", call], env=env, cwd=code, stdout=subprocess.PIPE, text=True
    )
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"forget failed in {code}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--workdir", type=Path, required=True)
    parser.add_argument("--scratch", type=Path, required=True)
    parser.add_argument("--erase", type=int, default=3000)
    parser.add_argument("--code", type=Path, help="another checkout (e.g. main) to compare with")
    args = parser.parse_args()
    args.scratch.mkdir(parents=True, exist_ok=True)
    state = args.scratch / "pre.duckdb"
    os.environ["RAPPORT_HOME"] = str(args.workdir)  # its erasure key hashes the requests' keys
    print(f"{prepare(args.workdir, state, args.erase)} accounts to erase (state {state})")
    results = []
    for code in [ROOT, *([args.code] if args.code else [])]:
        seconds, peak, lines = forget(code.resolve(), args.workdir, state, args.scratch / "home")
        print(f"{code!s:<40}{seconds:>9.1f} s{peak:>9.0f} MiB  {lines}", flush=True)
        results.append(fingerprint(args.scratch / "home" / "warehouse.duckdb"))
    if len(results) > 1:
        differ = sorted(
            k for k in results[0].keys() | results[1].keys() if results[0].get(k) != results[1].get(k)
        )
        print(f"{len(results[0])} tables, differing: {differ or 'none'}")
    shutil.rmtree(args.scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
