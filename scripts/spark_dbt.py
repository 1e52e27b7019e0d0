"""dbt on Spark with rapport's functions: `python scripts/spark_dbt.py build --target spark ...`.

dbt-spark's `session` method runs Spark inside the dbt process and asks for the session
with `getOrCreate` on every statement. Spark registers Python functions per session, so this
builds that session first, with the profile's server_side_parameters, registers
pipelines/spark_functions.py on it, then runs dbt in the same process (dbtRunner).

`--catalog-out FILE` (not a dbt flag; taken out before dbt sees the arguments): after dbt, the
location and partition columns of every table in rapport's schemas, as JSON, for
pipelines/spark_views.py (a DuckDB file whose views read those tables).

`--snapshot-out DIR --snapshot RELATIONS` (not dbt flags either; RELATIONS a JSON list of
`schema.name`): when dbt succeeded, each relation written as `<DIR>/<schema>.<name>` (Parquet),
the SQL of the `spark_snapshot` macro run on this session, so the snapshot costs no second
Spark start; when dbt failed nothing is written (the caller snapshots what was built).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import jinja2
import yaml

PROFILES = Path(__file__).resolve().parent.parent / "dbt_project" / "profiles.yml"
SCHEMAS = ("raw", "staging", "intermediate", "marts", "segments")


def _parameters(target: str) -> dict[str, str]:
    """The target's server_side_parameters, env_var() rendered as dbt renders them."""
    output = yaml.safe_load(PROFILES.read_text())["rapport"]["outputs"][target]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["env_var"] = lambda name, default=None: os.environ.get(name, default)
    return {k: env.from_string(str(v)).render() for k, v in output["server_side_parameters"].items()}


def _catalog(spark: Any) -> dict[str, dict[str, Any]]:
    """`schema.table` -> location and partition columns, for every table (not view) Spark holds."""
    found = {}
    for schema in SCHEMAS:
        if not spark.catalog.databaseExists(schema):
            continue
        for table in spark.catalog.listTables(schema):
            if table.tableType == "VIEW" or table.isTemporary:
                continue
            relation = f"{schema}.{table.name}"
            details = spark.sql(f"describe table extended {relation}").collect()
            location = next(r.data_type for r in details if r.col_name == "Location")
            columns = spark.catalog.listColumns(relation)
            found[relation] = {
                "location": location,
                "partitions": [c.name for c in columns if c.isPartition],
                "columns": [(c.name, c.dataType) for c in columns],
            }
    return found


def _option(args: list[str], name: str) -> tuple[str | None, list[str]]:
    """The value of `name VALUE` in args (None if absent) and args without the pair."""
    if name not in args:
        return None, args
    at = args.index(name)
    return args[at + 1], args[:at] + args[at + 2 :]


def main(args: list[str]) -> int:
    # Spark's Python workers must import pipelines, duckdb and phonenumbers: this venv's Python
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    from pipelines import spark_functions

    catalog_out, args = _option(args, "--catalog-out")
    snapshot_out, args = _option(args, "--snapshot-out")
    snapshot, args = _option(args, "--snapshot")
    target = args[args.index("--target") + 1] if "--target" in args else "spark"
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in _parameters(target).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark_functions.register(spark)
    result = dbtRunner().invoke(args)
    if catalog_out is not None:
        Path(catalog_out).write_text(json.dumps(_catalog(spark), indent=1, sort_keys=True))
    if snapshot_out is not None and snapshot is not None and result.success:
        for relation in json.loads(snapshot):  # as dbt_project/macros/spark_io.sql's spark_snapshot
            into = f"{snapshot_out}/{relation}"
            spark.sql(f"insert overwrite directory '{into}' using parquet select * from {relation}")
    return 0 if result.success else (2 if result.exception else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
