"""The functions models call come out identical on DuckDB and on Spark, on hand-written cases.

DuckDB gets them from the dbt-duckdb plugin (pipelines/dbt_plugin.py), Spark from
pipelines/spark_functions.py; both must give every email, phone and id key and every E.164
number the same answer (erasure and suppression match people by these keys). Needs the
optional uv group `spark`; skipped without it (run by `make spark`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

pytest.importorskip("pyspark")
pytestmark = pytest.mark.e2e

from pipelines.dbt_plugin import Plugin  # noqa: E402
from pipelines.spark_functions import register  # noqa: E402

EMAILS = [  # the shapes tests/test_identity.py and tests/dbt/test_erasure.py write by hand
    "yui.watanabe@gmail.com", "YuiWatanabe@gmail.com", " yui.watanabe+shop@googlemail.com\t",
    "\u00a0yuiwatanabe@GMAIL.com\u200b", "y.u.i.w.a.t.a.n.a.b.e+x+y@gmail.com", "a.b+x@example.com",
    "re\u0301my@example.fr", "r\u00e9my@example.fr", "\u00a0Anna.SMITH@Example.com\t",
    "\u0130STANBUL@example.com.tr", "ΟΔΟΣ@example.gr", "प्रिया.शर्मा@example.in", "\u3000\ufeff", "", None,
]  # fmt: skip
PHONES = [  # (phone, country): tests/test_identity.py and tests/dbt/test_phone_numbers.py
    ("0010000000+", None), ("00+919876543210", "IN"), ("+91+9876543210", None),
    ("0091 98765 43210", "IN"), ("+91 98765-43210", None), ("098765 43210", "IN"),
    ("+91 98765-43211", None), ("020 7946 0958", "GB"), ("12", "IN"), ("(+91) 9876543210", "in "),
    ("+44\u00a07700\u2009900123", None), ("\u200b", "IN"), ("98765 43210", None), (None, "IN"),
]  # fmt: skip
IDS = [" X9 ", "C1", "\u00a0C2\u2003", "", None]


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    home = Path(tmp_path_factory.mktemp("spark"))
    session = (
        SparkSession.builder.master("local[1]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(home / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={home}")
        .getOrCreate()
    )
    register(session)
    yield session
    session.stop()


def _both(spark: Any, sql: str, columns: str, rows: list[tuple[Any, ...]]) -> tuple[list, list]:
    """`select n, <sql> from t order by n` on each engine, t holding `rows` numbered from 1."""
    numbered = [(n, *row) for n, row in enumerate(rows, 1)]
    con = duckdb.connect()
    Plugin("rapport", {}).configure_connection(con)
    con.execute(f"create table t (n integer, {columns})")
    con.executemany(f"insert into t values ({', '.join('?' for _ in numbered[0])})", numbered)
    duck = con.execute(f"select n, {sql} from t order by n").fetchall()
    names = ["n", *(c.split()[0] for c in columns.split(","))]
    spark.createDataFrame(numbered, names).createOrReplaceTempView("t")
    got = [tuple(r) for r in spark.sql(f"select n, {sql} from t order by n").collect()]
    return duck, got


def test_email_and_id_keys_are_identical(spark: Any) -> None:
    duck, got = _both(spark, "rapport_email_key(v)", "v varchar", [(e,) for e in EMAILS])
    assert got == duck
    assert duck[0][1] == duck[1][1] == duck[2][1] == "yuiwatanabe@gmail.com"  # the rule, not just agreement
    duck, got = _both(spark, "rapport_id_key(v)", "v varchar", [(i,) for i in IDS])
    assert got == duck == [(1, "X9"), (2, "C1"), (3, "C2"), (4, None), (5, None)]


def test_phone_keys_and_e164_are_identical(spark: Any) -> None:
    sql = (
        "rapport_phone_key(p), rapport_phone_e164(p, c), rapport_phone_rules_version(),"
        " rapport_phone_national(p), rapport_phone_nsn(p)"
    )
    duck, got = _both(spark, sql, "p varchar, c varchar", PHONES)
    assert got == duck
    by_phone = {PHONES[n - 1][0]: (key, e164) for n, key, e164, *_ in duck}
    national = {PHONES[n - 1][0]: (nat, nsn) for n, _, _, _, nat, nsn in duck}
    assert national["098765 43210"] == ("9876543210", None)
    assert national["+91 98765-43210"] == (None, "9876543210")
    assert by_phone["0091 98765 43210"] == ("+919876543210", "+919876543210")
    assert by_phone["020 7946 0958"] == (None, "+442079460958")
    assert by_phone["0010000000+"][0] is None
