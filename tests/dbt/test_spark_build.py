"""A tiny generated shop built on Spark equals its DuckDB build, in `make test`.

`make spark` compares every model, the CLV fit and the exports (minutes of Spark's fixed cost per
statement); here the same script (scripts/spark_build.py) builds only the RFM mart and all it
reads (staging, the identity chain with its Python functions, orders and their facts) from a
30-customer shop that Spark loads from the landing files itself, and compares every raw table
and every model of the chain. Needs the optional uv group `spark`, which `make test` installs.

DuckDB's build runs every data test of the chain; Spark's runs the singular ones (the RFM
reconciliations) but not the generic ones (unique, not_null, relationships, accepted values,
column rules): those are queries over one model's rows, and Spark's rows are compared with
DuckDB's row for row here, so on Spark they could only repeat what the comparison finds (20 of
them, ~10 s of Spark CPU; scripts/spark_build.py `_build_selected`; `make spark` runs them all).
Spark's tables are written for the comparison by the build's own session (one JVM start fewer).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("dbt.adapters.spark")
pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_shop_builds_the_same_rfm_chain_on_spark(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "spark_build.py"
    args = ["--customers", "30", "--select", "+customer_rfm", "--out", str(tmp_path / "spark")]
    proc = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, capture_output=True, text=True)
    out = proc.stdout
    assert proc.returncode == 0, out[-6000:] + proc.stderr[-3000:]
    assert "equal raw.orders" in out and "equal raw.customers" in out
    for model in ("marts.customer_rfm", "marts.orders", "intermediate.int_customers_resolved"):
        assert f"equal {model}" in out, out[-6000:]
    assert out.rstrip().splitlines()[-1].startswith("equal (")
