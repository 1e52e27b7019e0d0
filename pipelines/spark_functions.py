"""The functions dbt models call that are not Spark SQL, registered on a Spark session.

The same names DuckDB gets from pipelines/dbt_plugin.py, computed by the same code, so the
keys are identical by construction: the identity rule runs as pipelines/identity.py's DuckDB
macros over each Arrow batch (an in-memory DuckDB inside the Spark Python worker), E.164 as
pipelines/phones.py, the erasure key's HMAC as pipelines/erasure_key.py's DuckDB macro (the
same digests forget and the export remember). Arrow UDFs: one Python call per batch, not per
row. Spark registers Python functions per session only, so dbt must run in the process that owns the session
(scripts/spark_dbt.py; the `session` method, locally or as the driver on a cluster).
"""

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from pipelines import erasure_key, identity, phones

KEYS = (
    "rapport_email_key",
    "rapport_phone_key",
    "rapport_phone_national",
    "rapport_phone_nsn",
    "rapport_id_key",
    "rapport_hmac",
)


def _keys(macro: str, values: pa.Array) -> pa.Array:
    con = duckdb.connect()
    try:
        identity.install(con)
        if macro == "rapport_hmac":
            erasure_key.install_hmac(con)
        table = pa.table({"n": pa.array(range(len(values)), pa.int64()), "v": values.cast(pa.string())})
        con.register("batch", table)
        result: pa.Table = con.execute(f"select {macro}(v) from batch order by n").to_arrow_table()
        return result.column(0).combine_chunks().cast(pa.string())
    finally:
        con.close()


def register(spark: Any) -> None:
    """Register rapport's functions on `spark` (a pyspark SparkSession)."""
    from pyspark.sql import functions

    # Any: pyspark's overloads do not cover a plain callable with a DDL type string
    arrow_udf: Any = functions.arrow_udf
    udf: Any = functions.udf

    for name in KEYS:
        spark.udf.register(name, arrow_udf(lambda v, m=name: _keys(m, v), "string"))
    spark.udf.register("rapport_phone_e164", arrow_udf(phones.e164, "string"))
    spark.udf.register("rapport_phone_rules_version", udf(lambda: phones.VERSION, "string"))
