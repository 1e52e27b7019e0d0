"""The CLV stage at scale: dbt summary + BG/NBD and Gamma-Gamma fit + scoring, and parameter recovery.

    uv run python benchmarks/clv_scale.py --customers 1000000 [--recovery 100000] [--workdir DIR]

Timing: a purchase log of N customers is simulated with known MBG/NBD parameters (numpy,
seconds, not timed) straight into marts.orders of a fresh warehouse, so the run measures
only the CLV stage: `dbt run -s customer_clv_summary` (dbt's own start-up included, and
shown apart) then `stages.fit_clv` (read, fit on distinct (x, t_x, T), score, write the
marts). Each runs in its own process like an Airflow task; peak RSS is that process's,
dbt's subprocess included. numpy/scipy compile nothing, so there is no one-time cost
beyond importing them (reported).

Recovery: a shop of M customers from the real generator (`generate_shop`), summarised from
its landing orders, fitted with MBG/NBD (the generator's process) and compared with the
Gamma/Beta fit of its `_truth/customer_params.parquet`.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

AS_OF = date(2026, 7, 1)
DAYS = 730  # two years of history before AS_OF


def simulate_orders(n: int, seed: int = 1) -> pl.DataFrame:
    """MBG/NBD purchases in days: lambda ~ Gamma(0.5, 1/47.5), p ~ Beta(1.4, 5), first purchase uniform."""
    rng = np.random.default_rng(seed)
    lam, p = rng.gamma(0.5, 1 / 47.5, n), rng.beta(1.4, 5.0, n)
    first = rng.uniform(0, DAYS, n)
    value = rng.lognormal(np.log(38), 0.85, n)
    customers, times = [np.arange(n)], [first]
    clock, alive = first.copy(), rng.random(n) >= p  # MBG: may leave right after the first
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1.0, idx.size) / lam[idx]
        bought = idx[clock[idx] < DAYS]
        customers.append(bought)
        times.append(clock[bought])
        alive[:] = False
        alive[bought] = rng.random(bought.size) >= p[bought]
    who, at = np.concatenate(customers), np.concatenate(times)
    start = np.datetime64(AS_OF, "us") - np.timedelta64(DAYS * 86_400_000_000, "us")
    amount = np.round(value[who] * rng.lognormal(0, 0.35, who.size), 2)
    return pl.DataFrame(
        {
            "order_id": np.arange(who.size),
            "customer_id": who,
            "ordered_at": start + (at * 86_400_000_000).astype("timedelta64[us]"),
            "is_cancelled": rng.random(who.size) < 0.03,
            "net_revenue": amount,
        }
    ).with_columns(
        pl.col("order_id").cast(pl.String),
        ("C" + pl.col("customer_id").cast(pl.String).str.zfill(8)).alias("customer_id"),
        pl.col("net_revenue").cast(pl.Decimal(18, 2)),
    )


def run_stage(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (children included) and peak MiB of one stage process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"stage failed: {code}")
    return time.perf_counter() - started, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def timing(n: int, home: Path) -> None:
    home.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    orders = simulate_orders(n)
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("create schema if not exists marts")
        con.register("simulated", orders.to_arrow())
        con.execute("create or replace table marts.orders as select * from simulated")
    print(f"simulated {orders.height:,} orders of {n:,} customers in {time.perf_counter() - began:.1f} s")
    # the simulation is MBG/NBD, so the fit can be checked against its parameters
    env = {**os.environ, "RAPPORT_HOME": str(home), "RAPPORT_CLV_PURCHASE_MODEL": "mbg_nbd"}
    print("simulated with r=0.5, alpha=6.786 (weeks; 47.5 days), a=1.4, b=5.0")
    dbt = (
        "from datetime import date; from pipelines.transform import run_dbt; "
        "from pipelines.settings import get_settings; "
        f"run_dbt(get_settings(), ['run', '-s', '{{}}'], date.fromisoformat('{AS_OF}'))"
    )
    stages = {
        "dbt start-up (seed)": dbt.format("rfm_segment_map"),
        "summary (dbt)": dbt.format("customer_clv_summary"),
        "import numpy/scipy": "import scipy.optimize, scipy.special, polars",
        "fit + score + write": f"from pipelines import stages; print(*stages.fit_clv('{AS_OF}'), sep='\\n')",
    }
    print(f"{'stage':<22}{'wall s':>10}{'CPU s':>10}{'peak MiB':>10}")
    wall = cpu = 0.0
    for name, code in stages.items():
        seconds, used, peak = run_stage(code, env)
        if name in ("summary (dbt)", "fit + score + write"):
            wall, cpu = wall + seconds, cpu + used
        print(f"{name:<22}{seconds:>10.1f}{used:>10.1f}{peak:>10.0f}", flush=True)
    total = f"{'CLV stage total':<22}{wall:>10.1f}{cpu:>10.1f}"
    print(f"{total}   (summary + fit + score + write, dbt start-up included)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


def recovery(n: int, home: Path) -> None:
    from pipelines.clv.bgnbd import fit_bg_nbd
    from pipelines.generate import generate_shop
    from tests.clv.test_recovery import landing_summary, truth_population

    shop = home / f"shop{n}"
    if not (shop / "_truth").exists():
        generate_shop(shop, customers=n, seed=7)
    truth = truth_population(shop)
    combos = landing_summary(shop).group_by("x", "tx", "T").len()
    for modified in (True, False):
        fit, _ = fit_bg_nbd(combos["x"], combos["tx"], combos["T"], combos["len"], modified=modified)
        name = "mbg_nbd" if modified else "bg_nbd "
        got, want = ({k: getattr(m, k) for k in ("r", "alpha", "a", "b")} for m in (fit, truth))
        cells = [f"{k} {got[k]:.3f} vs {want[k]:.3f} ({got[k] / want[k] - 1:+.1%})" for k in got]
        print(f"recovery {n:,} customers, {name}: " + ", ".join(cells))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--recovery", type=int, default=0, help="also check recovery on a generated shop")
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    home = args.workdir or Path(tempfile.mkdtemp(prefix="rapport-clv-"))
    load = os.getloadavg()[0]
    print(f"rapport CLV benchmark, home {home}, load average {load:.2f} on {os.cpu_count()} cores")
    if args.customers:  # --customers 0: recovery only
        timing(args.customers, home)
    if args.recovery:
        recovery(args.recovery, home)


if __name__ == "__main__":
    main()
