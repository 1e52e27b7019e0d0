"""Spark reads a landing folder into its raw tables (pipelines/spark_load.py), for `make spark`.

    python scripts/spark_load.py --landing DIR --as-of YYYY-MM-DD --run-id ID --snapshot DIR

Run in RAPPORT_SPARK_HOME (Spark's Derby metastore lives in the working folder), with the
`spark` profile's session settings, so dbt on Spark then finds the tables in `raw`. Each raw
table is also written to `<snapshot>/raw.<table>` (Parquet) for the comparison with DuckDB's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import date, datetime
from pathlib import Path

from spark_dbt import _parameters  # scripts/, next to this file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--landing", type=Path, required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True)
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--snapshot", type=Path, required=True)
    parser.add_argument("--loaded-at", type=datetime.fromisoformat, help="the load's clock (default: now)")
    args = parser.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from pipelines.load.errors import BatchRejected
    from pipelines.spark_load import load_landing_on_spark
    from pipelines.spark_read import SparkLoadRefused

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in _parameters("spark").items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    started = time.monotonic()
    try:
        done = load_landing_on_spark(
            spark, args.landing.resolve(), args.as_of, args.run_id, loaded_at=args.loaded_at
        )
    except (SparkLoadRefused, BatchRejected) as e:
        print(f"spark load refused: {e}", file=sys.stderr)
        return 1
    took = time.monotonic() - started
    print(
        f"spark load: {done.rows_in} rows in, {done.rows_loaded} loaded,"
        f" {done.rows_quarantined} quarantined ({took:.0f} s)"
    )
    for table in [t for t in spark.catalog.listTables("raw") if not t.isTemporary]:
        out = args.snapshot / f"raw.{table.name}"
        spark.table(f"raw.{table.name}").write.mode("overwrite").parquet(str(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
