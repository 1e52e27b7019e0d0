"""Every model of the dbt project compiles on Spark (`spark`), as on DuckDB (`dev`).

Needs the optional uv group `spark` (dbt-spark, pyspark): `make spark` installs it and runs this
file; without dbt-spark it is skipped. Compiling needs no data: an empty Spark warehouse (the Spark
session starts in-process, ~30 s). Building is `make spark`'s job. On DuckDB the same compile
against an empty warehouse is `make lint`'s (sqlfluff's dbt templater renders every SQL model,
target dev), which `make test` runs first, and the shared FULL build (tests/dbt/conftest.py)
builds every model, the Python one too; so `dev` is no longer compiled here a third time.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from rapport_dbt import AS_OF, DBT, PROJECT

pytest.importorskip("dbt.adapters.spark")
pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("target", ["spark"])
def test_every_model_compiles(target: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "RAPPORT_WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb"),
        "RAPPORT_SPARK_HOME": str(tmp_path),
        "RAPPORT_AS_OF_DATE": AS_OF,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    out = tmp_path / "target"
    paths = ["--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), "--target-path", str(out)]
    proc = subprocess.run(
        [str(DBT), "compile", "--target", target, "--select", "resource_type:model", *paths],
        env=env,
        cwd=tmp_path,  # Spark's Derby metastore lands in the working folder
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    nodes = json.loads((out / "manifest.json").read_text())["nodes"].values()
    models = {n["original_file_path"] for n in nodes if n["resource_type"] == "model"}
    compiled = {
        str(p.relative_to(out / "compiled" / "rapport"))
        for p in (out / "compiled" / "rapport").rglob("*")
        if p.suffix in (".sql", ".py") and p.read_text().strip()
    }
    assert len(models) > 50  # 58 models today
    assert models - compiled == set()  # (the models' data tests are compiled too)
