"""Compare two builds of the warehouse, table by table, and their exports, file by file.

Engine-neutral: a build is first *snapshotted* into a folder of Parquet files (one per table,
`tables/<schema>.<table>.parquet`, plus a copy of one export day under `exports/`), so a build
made by any engine that writes Parquet (DuckDB, Spark) can be compared with any other.

    python scripts/compare_builds.py snapshot --warehouse HOME/warehouse.duckdb \
        --exports HOME/exports/2026-07-01 OUT
    python scripts/compare_builds.py compare BEFORE AFTER [--ignore marts.clv_model_parameters.fitted_at]

Values are compared after normalising what engines legitimately differ on: DECIMAL (money) to
the cent, DOUBLE to --float-digits decimals, timestamps to the second; everything else as is.
CSV exports must be byte-identical; Parquet exports are compared as tables; JSON exports
(the manifest) key by key, minus keys named in --ignore-key (the run id); with --allow-new a table
or file only in AFTER is reported as NEW, not a difference. Prints `equal` or the differing rows
(each side's rows missing from the other, up to --max-rows), and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import duckdb


def snapshot(warehouse: Path, exports: Path | None, out: Path, schemas: list[str]) -> None:
    """Every table of `schemas` in the DuckDB warehouse to Parquet; one export day copied as is."""
    (out / "tables").mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse), read_only=True)
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables"
        " where table_schema = any($schemas) order by all",
        {"schemas": schemas},
    ).fetchall()
    for schema, table in tables:
        target = out / "tables" / f"{schema}.{table}.parquet"
        con.execute(f'copy (select * from "{schema}"."{table}") to \'{target}\' (format parquet)')
    con.close()
    if exports is not None:
        shutil.copytree(exports, out / "exports", dirs_exist_ok=True)
    print(f"{len(tables)} tables{' and exports' if exports else ''} -> {out}")


def _normalised(con: duckdb.DuckDBPyConnection, path: Path, ignore: set[str], digits: int) -> str:
    """A select over one Parquet file with every column normalised for comparison."""
    cols = con.execute(f"describe select * from read_parquet('{path}')").fetchall()
    exprs = []
    for name, dtype, *_ in cols:
        if name in ignore:
            continue
        q = f'"{name}"'
        if dtype.startswith("DECIMAL"):
            exprs.append(f"round({q}::decimal(38, 6), 2) as {q}")
        elif dtype in ("DOUBLE", "FLOAT"):
            exprs.append(f"round({q}, {digits}) as {q}")
        elif dtype.startswith("TIMESTAMP"):
            exprs.append(f"date_trunc('second', {q}::timestamp) as {q}")
        elif dtype.endswith("[]") or dtype.startswith(("STRUCT", "MAP")):
            exprs.append(f"{q}::varchar as {q}")
        else:
            exprs.append(q)
    return f"select {', '.join(exprs) or '1'} from read_parquet('{path}')"


def _compare_table(con: Any, name: str, a: Path, b: Path, ignore: set[str], digits: int, limit: int) -> bool:
    cols_a = [c[0] for c in con.execute(f"describe select * from read_parquet('{a}')").fetchall()]
    cols_b = [c[0] for c in con.execute(f"describe select * from read_parquet('{b}')").fetchall()]
    if cols_a != cols_b:
        print(f"DIFF {name}: columns\n  before {cols_a}\n  after  {cols_b}")
        return False
    sa, sb = _normalised(con, a, ignore, digits), _normalised(con, b, ignore, digits)
    only_a = con.execute(f"select * from ({sa} except all {sb}) order by all limit {limit}").fetchall()
    only_b = con.execute(f"select * from ({sb} except all {sa}) order by all limit {limit}").fetchall()
    if not only_a and not only_b:
        return True
    na = con.execute(f"select count(*) from ({sa} except all {sb})").fetchall()[0][0]
    nb = con.execute(f"select count(*) from ({sb} except all {sa})").fetchall()[0][0]
    print(f"DIFF {name}: {na} rows only before, {nb} only after; columns {cols_a}")
    for row in only_a:
        print(f"  - {row}")
    for row in only_b:
        print(f"  + {row}")
    return False


def _strip(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _strip(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_strip(v, keys) for v in value]
    return value


def compare(args: argparse.Namespace) -> int:
    before, after, ignore = args.before, args.after, args.ignore
    digits, limit = args.float_digits, args.max_rows
    ignore_keys = set(args.ignore_key)
    con = duckdb.connect()
    files_a = {p.relative_to(before) for p in before.rglob("*") if p.is_file()}
    files_b = {p.relative_to(after) for p in after.rglob("*") if p.is_file()}
    ok = True
    for rel in sorted(files_a - files_b):
        print(f"DIFF {rel}: missing after")
        ok = False
    for rel in sorted(files_b - files_a):
        print(f"{'NEW ' if args.allow_new else 'DIFF '}{rel}: only after")
        ok &= args.allow_new
    for rel in sorted(files_a & files_b):
        a, b = before / rel, after / rel
        if rel.parts[0] == "tables":
            table = rel.name.removesuffix(".parquet")
            cols = {i.rsplit(".", 1)[1] for i in ignore if i.rsplit(".", 1)[0] == table}
            ok &= _compare_table(con, table, a, b, cols, digits, limit)
        elif rel.suffix == ".parquet":
            ok &= _compare_table(con, str(rel), a, b, set(), digits, limit)
        elif rel.suffix == ".json":
            ja, jb = (_strip(json.loads(p.read_text()), ignore_keys) for p in (a, b))
            if ja != jb:
                print(f"DIFF {rel}: JSON differs (keys ignored: {sorted(ignore_keys)})")
                ok = False
        elif a.read_bytes() != b.read_bytes():
            la, lb = a.read_text().splitlines(), b.read_text().splitlines()
            print(f"DIFF {rel}: bytes differ ({len(la)} vs {len(lb)} lines)")
            for line in sorted(set(la) - set(lb))[:limit]:
                print(f"  - {line}")
            for line in sorted(set(lb) - set(la))[:limit]:
                print(f"  + {line}")
            ok = False
    print("equal" if ok else "DIFFERENT", f"({len(files_a & files_b)} files compared)")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    snap = sub.add_parser("snapshot", help="tables (and one export day) of a build to Parquet")
    snap.add_argument("--warehouse", type=Path, required=True)
    snap.add_argument("--exports", type=Path, help="one export day, e.g. HOME/exports/2026-07-01")
    snap.add_argument("--schema", action="append", help="schemas to keep (default: marts, segments)")
    snap.add_argument("out", type=Path)
    cmp = sub.add_parser("compare", help="two snapshots; exit 1 on any difference")
    cmp.add_argument("before", type=Path)
    cmp.add_argument("after", type=Path)
    cmp.add_argument("--ignore", action="append", default=[], help="schema.table.column set by the clock")
    cmp.add_argument("--ignore-key", action="append", default=["run_id"], help="JSON key set per run")
    cmp.add_argument("--float-digits", type=int, default=6)
    cmp.add_argument("--max-rows", type=int, default=20)
    cmp.add_argument("--allow-new", action="store_true", help="only-after = addition")
    args = parser.parse_args()
    if args.command == "snapshot":
        snapshot(args.warehouse, args.exports, args.out, args.schema or ["marts", "segments"])
        return 0
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
