"""`make spark`: build the same shop on DuckDB and on Spark, CLV and exports included, compare.

    python scripts/spark_build.py --customers 50 --out .rapport/spark

1. `rapport generate` a shop; `rapport load` it into a DuckDB warehouse (raw schema), and Spark
   reads the same landing folder into its own raw tables (scripts/spark_load.py,
   pipelines/spark_load.py: the DuckDB loader's rules rendered as Spark SQL). Every raw table
   (entities, quarantine with reasons, ledger counts, withheld opt-outs) compared with DuckDB's.
2. On each engine the DAG's order: `dbt build` of everything but the CLV chain, the CLV fit
   (pipelines/clv) on that engine's `customer_clv_summary`, `dbt build` of what reads the fit.
   On Spark the fit reads a DuckDB file whose views read Spark's tables (pipelines/spark_views),
   and its three tables are copied into Spark (`spark_load_tables`), where the dbt project reads
   them as source `clv`. Both fits get the same `fitted_at` (the as-of instant, as in the DAG).
3. The segment exports (quality gate included, pipelines/export unchanged) from each engine's
   build: on Spark from that same DuckDB file of views.
4. Every model, the CLV fit's tables and the export files compared (scripts/compare_builds.py:
   money to the cent, timestamps to the second, CSV byte for byte): per model `equal` or the
   differing rows; the fit's parameters must be identical to the bit. Exit 1 on any difference.
Prints wall time, CPU seconds and peak memory of each engine's dbt runs (the sizing figures).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
from datetime import date, datetime, time
from pathlib import Path

import compare_builds  # scripts/, next to this file
import duckdb
import spark_clv
from spark_steps import ROOT, Steps

PORTABLE = "staging intermediate marts segments resource_type:seed"
AFTER_FIT = "source:clv+"  # the DAG's dbt_build_clv (selector after_clv)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--customers", type=int, default=50)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--select", help="only these models (dbt selection, e.g. +customer_rfm): no CLV fit, no exports"
    )
    args = parser.parse_args()
    out = args.out.resolve()
    shutil.rmtree(out, ignore_errors=True)
    home, spark_home = out / "home", out / "spark"
    spark_home.mkdir(parents=True)
    os.environ.update(  # also for the fit and the exports, which run in this process
        RAPPORT_HOME=str(home),
        RAPPORT_WAREHOUSE_PATH=str(home / "warehouse.duckdb"),
        RAPPORT_SPARK_HOME=str(spark_home),
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    steps = Steps(dict(os.environ))
    rapport, landing = str(Path(sys.executable).parent / "rapport"), str(home / "landing")
    steps.run([rapport, "generate", "--customers", str(args.customers), "--seed", str(args.seed),
               "--out", landing], ROOT)  # fmt: skip
    as_of = steps.run([rapport, "as-of", "--landing", landing], ROOT).strip()
    os.environ["RAPPORT_AS_OF_DATE"] = steps.env["RAPPORT_AS_OF_DATE"] = as_of
    steps.run([rapport, "load", "--landing", landing], ROOT)
    warehouse = home / "warehouse.duckdb"
    raw = _export_raw(warehouse, out / "raw")
    # the same run id and load time on both engines (as the fits share fitted_at): the ledger's
    # loaded_at reaches staging.stg_loader__load_ledger, compared like every model
    run_id, loaded_at = _run_id(warehouse)
    load = [sys.executable, str(ROOT / "scripts" / "spark_load.py"), "--landing", landing, "--as-of", as_of,
            "--run-id", run_id, "--loaded-at", loaded_at, "--snapshot", str(out / "spark_raw")]  # fmt: skip
    steps.run(load, spark_home, engine="spark", step="spark_load.py (landing -> raw)")
    raw_equal = _compare_raw(raw, out)
    if args.select:
        return _build_selected(steps, args.select, args.customers, warehouse, out, raw_equal)

    selected = steps.models(PORTABLE)
    pending = sorted(set(steps.models("fqn:*")) - set(selected))
    before = ["--select", *PORTABLE.split(), "--exclude", AFTER_FIT, "--exclude-resource-type", "unit_test"]
    after = ["--select", AFTER_FIT, "--exclude-resource-type", "unit_test"]
    catalog = out / "spark-catalog.json"
    # unit tests apart: a failing one would skip its model, which then could not be compared
    steps.dbt(["build", "--target", "spark", *before, "--catalog-out", str(catalog)], check=False)
    failed = steps.failures()
    steps.dbt(["build", "--select", *PORTABLE.split(), "--exclude", AFTER_FIT])  # with unit tests

    when = date.fromisoformat(as_of)
    fitted_at = datetime.combine(when, time())  # as the DAG's fit_clv: the as-of instant
    lines = spark_clv.fit(warehouse, when, fitted_at)
    bridge = out / "spark_views.duckdb"  # Spark's tables as DuckDB views (pipelines/spark_views)
    lines += spark_clv.fit_on_spark(bridge, catalog, when, fitted_at, out / "clv", steps)
    steps.dbt(["build", "--target", "spark", *after, "--catalog-out", str(catalog)], check=False)
    failed |= steps.failures()
    steps.dbt(["test", "--target", "spark", "--select", *PORTABLE.split(), "--resource-type", "unit_test"],
              check=False)  # fmt: skip
    failed |= steps.failures()
    steps.dbt(["build", "--select", AFTER_FIT])
    spark_clv.attach(bridge, catalog)  # the CLV segments Spark just built, for its exports
    exports = {
        engine: spark_clv.export(db, out / f"exports-{engine}", out / f"quality-{engine}", when)
        for engine, db in (("duckdb", warehouse), ("spark", bridge))
    }

    relations = [r for r in selected if r.split(".")[1] not in failed] + list(spark_clv.FIT_TABLES)
    _snapshots(steps, warehouse, relations, out)
    _report(steps, args.customers, selected, pending, failed, lines)
    ok = not failed and raw_equal
    ok &= _compare_tables(relations, out)
    ok &= spark_clv.same_parameters(warehouse, bridge)
    ok &= compare_builds.compare(argparse.Namespace(
        before=exports["duckdb"], after=exports["spark"], ignore=[], ignore_key=["run_id"],
        float_digits=6, max_rows=20, allow_new=False,
    )) == 0  # fmt: skip
    summary = f"({len(relations)} models and fit tables compared, exports too; {len(failed)} failed on Spark)"
    print("equal" if ok else "DIFFERENT", summary)
    return 0 if ok else 1


def _build_selected(
    steps: Steps, select: str, customers: int, warehouse: Path, out: Path, raw_equal: bool
) -> int:
    """The selected models on both engines, compared: `make test`'s tiny build.

    DuckDB runs every data test of the selection; Spark only the singular ones (the
    reconciliations, written as plain SQL). A generic test (unique, not_null, relationships,
    accepted values, column rules) is a query over one model's rows; those rows are compared with
    DuckDB's row for row below, where the same test passed, so on Spark it could only fail if the
    tables differ, which the comparison reports itself; 20 of them cost ~10 s of Spark CPU here
    (measured, DECISIONLOG). Their SQL still compiles for Spark in
    tests/dbt/test_spark_compile.py, and `make spark` runs them all on Spark.
    """
    # cautious: a test is run only when every model it reads is built (relationships reach out)
    selected = steps.models(select)
    build = ["build", "--select", *select.split(), "--indirect-selection", "cautious"]
    parts = out / "spark_parts"
    # Spark's relations are written to Parquet by the build's own session when it succeeds
    on_spark = ["--exclude", "test_type:generic", "--target", "spark", "--exclude-resource-type", "unit_test"]
    snapshot = ["--snapshot-out", str(parts), "--snapshot", json.dumps(selected)]
    steps.dbt([*build, *on_spark, *snapshot], check=False)
    failed = steps.failures()
    steps.dbt([*build, "--exclude-resource-type", "unit_test"])
    relations = [r for r in selected if r.split(".")[1] not in failed]
    spark_done = not failed and all((parts / r).is_dir() for r in relations)
    _snapshots(steps, warehouse, relations, out, spark_done)
    _report(steps, customers, selected, [], failed, [])
    ok = _compare_tables(relations, out) and not failed and raw_equal
    summary = f"({len(relations)} models compared; {len(failed)} failed on Spark)"
    print("equal" if ok else "DIFFERENT", summary)
    return 0 if ok else 1


def _export_raw(warehouse: Path, folder: Path) -> list[str]:
    """The loader's raw tables as one Parquet file each (`raw.<table>.parquet`)."""
    folder.mkdir()
    con = duckdb.connect(str(warehouse), read_only=True)
    tables = "select table_name from information_schema.tables where table_schema = 'raw' order by 1"
    raw = [t for (t,) in con.execute(tables).fetchall()]
    for table in raw:
        con.execute(f"copy raw.\"{table}\" to '{folder / f'raw.{table}.parquet'}' (format parquet)")
    con.close()
    return raw


def _run_id(warehouse: Path) -> tuple[str, str]:
    """Run id and commit time of the DuckDB load (one run)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    run_id, at = con.execute("select run_id, committed_at from raw._load_runs").fetchall()[0]
    con.close()
    return str(run_id), at.isoformat()


def _compare_raw(raw: list[str], out: Path) -> bool:
    """Spark's raw tables against the DuckDB loader's, table by table, every column."""
    con, ok = duckdb.connect(), True
    for table in raw:
        mine, theirs = out / "raw" / f"raw.{table}.parquet", out / "spark_raw" / f"raw.{table}"
        if not theirs.exists():
            print(f"DIFF raw.{table}: not written by the Spark loader")
            ok = False
            continue
        # Spark's files in the DuckDB file's column order, as one file (a missing column fails)
        names = [c[0] for c in con.execute(f"describe select * from read_parquet('{mine}')").fetchall()]
        found = {
            c[0] for c in con.execute(f"describe select * from read_parquet('{theirs}/*.parquet')").fetchall()
        }
        cols = ", ".join(f'"{n}"' for n in names) if found == set(names) else "*"
        one = out / "spark_raw" / f"raw.{table}.parquet"
        con.execute(
            f"copy (select {cols} from read_parquet('{theirs}/*.parquet')) to '{one}' (format parquet)"
        )
        equal = compare_builds._compare_table(
            con, f"raw.{table}", mine, one, {"loaded_at", "committed_at"}, 6, 20
        )
        if equal:
            print(f"equal raw.{table}")
        ok &= equal
    return ok


def _snapshots(
    steps: Steps, warehouse: Path, relations: list[str], out: Path, spark_done: bool = False
) -> None:
    """Each relation of both builds as one Parquet file, Spark's through Spark SQL (views too;
    `spark_done`: the Spark build already wrote them, scripts/spark_dbt.py --snapshot-out)."""
    for side in ("duckdb", "spark"):
        (out / side / "tables").mkdir(parents=True)
    if not spark_done:
        steps.dbt(["run-operation", "spark_snapshot", "--target", "spark", "--args",
                   json.dumps({"out": str(out / "spark_parts"), "relations": relations})])  # fmt: skip
    con = duckdb.connect(str(warehouse), read_only=True)
    for rel in relations:
        mine = out / "duckdb" / "tables" / f"{rel}.parquet"
        con.execute(f"copy (select * from {rel}) to '{mine}' (format parquet)")
        parts, target = out / "spark_parts" / rel / "*.parquet", out / "spark" / "tables" / f"{rel}.parquet"
        # columns by name in DuckDB's order: Spark writes a partition column (as_of_date of
        # customer_segment_history) last; a column missing on either side still fails the compare
        names = [c[0] for c in con.execute(f"describe {rel}").fetchall()]
        found = {c[0] for c in con.execute(f"describe select * from read_parquet('{parts}')").fetchall()}
        cols = ", ".join(f'"{n}"' for n in names) if found == set(names) else "*"
        con.execute(f"copy (select {cols} from read_parquet('{parts}')) to '{target}' (format parquet)")
    con.close()


def _compare_tables(relations: list[str], out: Path) -> bool:
    con, ok = duckdb.connect(), True
    for rel in relations:
        a, b = (out / side / "tables" / f"{rel}.parquet" for side in ("duckdb", "spark"))
        equal = compare_builds._compare_table(con, rel, a, b, set(), 6, 20)
        if equal:  # a difference is printed by _compare_table itself, with its rows
            print(f"equal {rel}")
        ok &= equal
    return ok


def _report(
    steps: Steps, customers: int, selected: list[str], pending: list[str], failed: dict[str, str],
    lines: list[str],
) -> None:  # fmt: skip
    for line in lines:
        print(line)
    gib = 2**30
    for engine in ("duckdb", "spark"):
        u = steps.usage[engine]
        print(
            f"{engine} dbt runs ({len(selected)} models, {customers} customers): "
            f"{steps.seconds[engine]:.0f} s wall, {u.cpu_seconds:.0f} s CPU, peak RSS "
            f"{u.peak_process_rss / gib:.2f} GiB largest process, {u.peak_tree_rss / gib:.2f} GiB tree"
        )
    if pending:
        print(f"not built on Spark ({len(pending)} models): {' '.join(pending)}")
    for name, why in sorted(failed.items()):
        print(f"FAILED on Spark {name}: {why}")


if __name__ == "__main__":
    sys.exit(main())
