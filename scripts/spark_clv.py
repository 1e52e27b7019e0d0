"""The steps of scripts/spark_build.py that run outside dbt: the CLV fit and the segment exports.

Both are the pipeline's own functions (pipelines.clv.fit_clv, pipelines.export.export_segments),
unchanged, on a DuckDB file: the warehouse for the DuckDB build; for the Spark build a file whose
views read Spark's tables (pipelines.spark_views).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
from spark_steps import Steps

from pipelines.clv import fit_clv
from pipelines.export import export_segments
from pipelines.settings import get_settings
from pipelines.spark_views import attach_spark_tables

FIT_TABLES = ("marts.customer_clv", "marts.clv_model_parameters", "marts.clv_holdout_validation")
PARAMETERS = "select model, parameter, value, log_likelihood from marts.clv_model_parameters order by all"
RUN_ID = "spark-compare"  # one run id for both builds' exports: the manifests then compare as is


def fit(warehouse: Path, as_of: date, fitted_at: datetime) -> list[str]:
    settings = get_settings()
    return fit_clv(warehouse, as_of, settings.clv_discount_rate, fitted_at, settings.clv_purchase_model)


def attach(bridge: Path, catalog: Path) -> list[str]:
    found: dict[str, Any] = json.loads(catalog.read_text())
    return attach_spark_tables(bridge, found)


def fit_on_spark(
    bridge: Path, catalog: Path, as_of: date, fitted_at: datetime, folder: Path, steps: Steps
) -> list[str]:
    """The fit on Spark's customer_clv_summary; its tables then loaded into Spark (source clv)."""
    attach(bridge, catalog)
    lines = [f"{line} (Spark's summary)" for line in fit(bridge, as_of, fitted_at)]
    folder.mkdir(parents=True)
    con = duckdb.connect(str(bridge), read_only=True)
    for table in FIT_TABLES:
        con.execute(f"copy {table} to '{folder / f'{table}.parquet'}' (format parquet)")
    con.close()
    steps.dbt(["run-operation", "spark_load_tables", "--target", "spark", "--args",
               json.dumps({"folder": str(folder), "relations": list(FIT_TABLES)})])  # fmt: skip
    return lines


def export(warehouse: Path, export_dir: Path, quality_dir: Path, as_of: date) -> Path:
    """Every configured segment exported from `warehouse` (gate included); returns the day folder."""
    export_segments(
        warehouse, export_dir, quality_dir, as_of, RUN_ID,
        config_path=get_settings().destinations_file, data_docs=False,
    )  # fmt: skip
    return export_dir / as_of.isoformat()


def same_parameters(warehouse: Path, bridge: Path) -> bool:
    """The fit's input (customer_clv_summary as the fit reads it) and its parameters identical to
    the bit on both builds: the fit is deterministic, so equal input must give equal parameters."""
    sides, inputs = [], []
    for db in (warehouse, bridge):
        con = duckdb.connect(str(db), read_only=True)
        inputs.append(con.sql("select * from marts.customer_clv_summary order by customer_id").pl())
        sides.append(con.execute(PARAMETERS).fetchall())
        con.close()
    ok = inputs[0].equals(inputs[1])  # exact: no rounding, nulls equal, same dtypes
    if not ok:
        print("DIFF CLV fit input: marts.customer_clv_summary not identical to the bit")
    if sides[0] == sides[1]:
        print(f"equal CLV fit: input identical, {len(sides[0])} parameters identical to the bit")
        return ok
    print("DIFF CLV fit parameters (DuckDB's summary, Spark's summary):")
    for a, b in zip(sides[0], sides[1], strict=False):
        if a != b:
            print(f"  {a} vs {b}")
    return False
