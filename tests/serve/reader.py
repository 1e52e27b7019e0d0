"""A BI-like reader run in its own process (stdlib + duckdb only, so the DuckDB 1.1.3 venv runs it).

Usage: python reader.py SERVING_ROOT STOP_FILE. Until STOP_FILE exists it alternately queries the
stable DuckDB file and the Parquet of the current version, comparing every count with the manifest
that came with the same version; prints one JSON line with what it saw.
"""

import json
import os
import sys
import traceback

import duckdb

root, stop = sys.argv[1], sys.argv[2]
seen, errors, checks = set(), [], 0


def check_duckdb() -> None:
    con = duckdb.connect(os.path.join(root, "rapport.duckdb"), read_only=True)
    try:
        for version, table, rows in con.execute(
            "select version, table_name, row_count from meta.manifest"
        ).fetchall():
            seen.add(version)
            (count,) = con.execute(f"select count(*) from {table}").fetchall()[0]
            if count != rows:
                errors.append(f"duckdb {version} {table}: {count} rows, manifest says {rows}")
    finally:
        con.close()


def check_parquet() -> None:
    version_dir = os.path.join(root, "versions", os.path.basename(os.readlink(os.path.join(root, "current"))))
    with open(os.path.join(version_dir, "manifest.json")) as f:
        manifest = json.load(f)
    seen.add(manifest["version"])
    con = duckdb.connect()
    for table in manifest["tables"]:
        path = os.path.join(version_dir, table["parquet"])
        (count,) = con.execute("select count(*) from read_parquet(?)", [path]).fetchall()[0]
        if count != table["rows"]:
            errors.append(f"parquet {manifest['version']} {table['name']}: {count} rows vs {table['rows']}")
    con.close()


while not os.path.exists(stop) or checks == 0:
    for check in (check_duckdb, check_parquet):
        try:
            check()
        except Exception:
            errors.append(traceback.format_exc(limit=2))
        checks += 1
print(
    json.dumps(
        {"checks": checks, "versions": sorted(seen), "errors": errors[:20], "duckdb": duckdb.__version__}
    )
)
