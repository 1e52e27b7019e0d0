"""dbt on Spark with rapport's functions: `python scripts/spark_dbt.py build --target spark ...`.

dbt-spark's `session` method runs Spark inside the dbt process and asks for the session
with `getOrCreate` on every statement. Spark registers Python functions per session, so this
builds that session first, with the profile's server_side_parameters, registers
pipelines/spark_functions.py on it, then runs dbt in the same process (dbtRunner).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import jinja2
import yaml

PROFILES = Path(__file__).resolve().parent.parent / "dbt_project" / "profiles.yml"


def _parameters(target: str) -> dict[str, str]:
    """The target's server_side_parameters, env_var() rendered as dbt renders them."""
    output = yaml.safe_load(PROFILES.read_text())["rapport"]["outputs"][target]
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    env.globals["env_var"] = lambda name, default=None: os.environ.get(name, default)
    return {k: env.from_string(str(v)).render() for k, v in output["server_side_parameters"].items()}


def main(args: list[str]) -> int:
    # Spark's Python workers must import pipelines, duckdb and phonenumbers: this venv's Python
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from dbt.cli.main import dbtRunner
    from pyspark.sql import SparkSession

    from pipelines import spark_functions

    target = args[args.index("--target") + 1] if "--target" in args else "spark"
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in _parameters(target).items():
        builder = builder.config(key, value)
    spark_functions.register(builder.getOrCreate())
    result = dbtRunner().invoke(args)
    return 0 if result.success else (2 if result.exception else 1)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
