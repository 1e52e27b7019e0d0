"""The DAG on bad input: a dirty shop loads with exactly the injected defects quarantined
and exports only clean, consenting contacts; a batch-level defect stops the run before
anything is committed or exported."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from orchestration.cli import app  # the CLI with `run` registered on it
from orchestration.local_airflow import run_dag
from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.settings import Settings, get_settings
from tests.load.support import assert_quarantine_is_the_defects

pytestmark = pytest.mark.e2e

EMAIL = re.compile(r"^[^@\sA-Z]+@[^@\sA-Z]+\.[a-z]{2,}$")
SHA256 = re.compile(r"^[0-9a-f]{64}$")


@pytest.fixture(scope="module")
def dirty(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, date]:
    home = tmp_path_factory.mktemp("dirty")
    landing = home / "landing"
    generate_shop(landing, customers=800, seed=5, dirty_rate=0.02)
    # 2% of rows broken on purpose carry ~1.6% of the order value: past the default 1% limit
    settings = Settings(home=home, max_quarantined_value_share=0.05)
    as_of = default_as_of(landing)
    proc = run_dag(settings, as_of, landing)
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    return settings, landing, as_of


def _query(settings: Settings, sql: str) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.sql(sql).pl()


def test_quarantine_is_exactly_the_injected_defects(dirty: tuple[Settings, Path, date]) -> None:
    settings, landing, _ = dirty
    found = _query(settings, "select distinct source_file, source_line, reason from raw._quarantine")
    assert_quarantine_is_the_defects(landing, found)
    ledger = _query(
        settings, "select * from raw._load_ledger where rows_in <> rows_loaded + rows_quarantined"
    )
    assert ledger.height == 0


def test_only_clean_consenting_contacts_are_exported(dirty: tuple[Settings, Path, date]) -> None:
    settings, _, as_of = dirty
    files = [p for p in (settings.export_dir / as_of.isoformat()).rglob("*.csv") if ".removed." not in p.name]
    frames = [pl.read_csv(p, infer_schema=False) for p in files]
    emails = pl.concat([f.select("email") for f in frames if "email" in f.columns])["email"]
    plain = [e for e in emails if not SHA256.match(e)]  # ad audiences get hashed addresses
    assert len(plain) > 100
    assert all(EMAIL.match(e) for e in plain), "trimmed, lower-case, well-formed"
    consenting = set(
        _query(settings, "select lower(trim(email)) as e from raw.customers where marketing_consent")["e"]
    )
    assert set(plain) <= consenting, "every exported contact has a loaded, consenting customer record"
    hashed = {hashlib.sha256(e.encode()).hexdigest() for e in consenting}
    assert {e for e in emails if SHA256.match(e)} <= hashed


def test_a_missing_required_column_stops_the_run_before_anything_is_committed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through `rapport run`: the failing task and its one-line cause come first, no traceback."""
    landing = tmp_path / "landing"
    generate_shop(landing, customers=60, seed=3)
    bad = landing / "orders" / "date=2030-01-01" / "orders.csv"
    bad.parent.mkdir(parents=True)
    bad.write_text("order_id,customer_id,ordered_at,status\nx1,C00000001,2024-08-01 10:00:00,placed\n")
    settings = Settings(home=tmp_path / "home")
    monkeypatch.setenv("RAPPORT_HOME", str(settings.home))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["run", "--landing", str(landing)])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    cause = "orders/date=2030-01-01/orders.csv: missing required column 'amount'"
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"stage_landing failed: BatchRejected: {cause}"), result.output
    assert errors[1].startswith("  what to do: fix or remove that landing file")
    assert errors[2].startswith("  log: ") and cause in Path(errors[2][7:]).read_text()
    assert "Traceback" not in result.output
    assert "  ok   extract_shop_db" in result.stdout  # the tasks before it were shown as they ended
    assert not settings.export_dir.exists() or not any(settings.export_dir.rglob("*.csv"))
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
    assert "raw" not in schemas and "marts" not in schemas, "nothing was committed or built"
