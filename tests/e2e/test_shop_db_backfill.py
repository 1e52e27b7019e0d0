"""A PostgreSQL shop, backfilled day by day (the last day a real DAG run), gives the same
marts and exports as one run of the last day; then updates in the database reach the marts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from orchestration.local_airflow import run_dag
from pipelines import stages
from pipelines.extract.source import connect
from pipelines.generate.shop_db import seed_shop_db
from pipelines.settings import Settings, get_settings
from tests.extract.pg_server import postgres

pytestmark = pytest.mark.e2e
LAST = date(2026, 7, 1)  # the day after the generated shop's last order
BACKFILL = [LAST - timedelta(days=n) for n in range(4, 0, -1)]


@pytest.fixture(scope="module")
def shop_url() -> Iterator[str]:
    with postgres() as url:
        seed_shop_db(url, customers=300, seed=21)
        yield url


def _use(monkeypatch: pytest.MonkeyPatch, home: Path, url: str) -> Settings:
    monkeypatch.setenv("RAPPORT_HOME", str(home))
    monkeypatch.setenv("RAPPORT_SHOP_DB_URL", url)
    monkeypatch.setenv("RAPPORT_EXTRACT_RETRY_SECONDS", "0")
    get_settings.cache_clear()
    return get_settings()


def _load(day: date, run_id: str) -> None:
    stages.extract(day.isoformat(), run_id)
    stages.stage(day.isoformat(), run_id)
    stages.gate_incoming(run_id)
    stages.commit(run_id)


def _marts(settings: Settings) -> pl.DataFrame:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        return con.sql(
            "select c.customer_id, c.email, c.net_revenue, c.orders, r.rfm_code, r.segment"
            " from marts.customers c left join marts.customer_rfm r using (customer_id) order by 1"
        ).pl()


def _exports(settings: Settings, day: date) -> dict[str, str]:
    """Full segment lists per destination; .added/.removed diffs depend on earlier exports."""
    folder = settings.export_dir / day.isoformat()
    files = [p for p in sorted(folder.rglob("*.csv")) if not p.name.endswith((".added.csv", ".removed.csv"))]
    return {p.relative_to(folder).as_posix(): p.read_text() for p in files}


def test_backfill_matches_a_single_run_and_updates_reach_the_marts(
    shop_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    single = _use(monkeypatch, tmp_path / "single", shop_url)
    _load(LAST, "single")
    stages.build(LAST.isoformat())
    stages.fit_clv(LAST.isoformat())  # as the DAG: fit, then what reads the fit, then export
    stages.build_clv(LAST.isoformat())
    stages.export(LAST.isoformat(), "single")
    expected, expected_exports = _marts(single), _exports(single, LAST)

    backfill = _use(monkeypatch, tmp_path / "backfill", shop_url)
    for day in BACKFILL:
        _load(day, f"backfill_{day}")
    proc = run_dag(backfill, LAST)  # the last day through Airflow: extract_shop_db first
    assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
    assert_frame_equal(_marts(backfill), expected)
    assert _exports(backfill, LAST) == expected_exports and expected_exports

    # the shop changes after the last run: a refund, a changed email, a cancelled order
    con = connect(shop_url)
    cur = con.cursor()
    cur.execute("select order_id, customer_id, amount::text from orders where status <> 'cancelled' limit 2")
    (refunded, who, amount), (cancelled, _, _) = cur.fetchall()
    cur.execute(
        f"insert into returns values ('R-new', '{refunded}', null, '{LAST} 10:00', 1, {amount}, 'broken',"
        f" '{LAST} 10:00')"
    )
    cur.execute(
        f"update orders set status = 'cancelled', updated_at = '{LAST} 11:00' where order_id = '{cancelled}'"
    )
    cur.execute(
        f"update customers set email = 'New.Mail@Example.org', updated_at = '{LAST} 12:00'"
        f" where customer_id = '{who}'"
    )
    con.commit()
    nxt = LAST + timedelta(days=1)
    _load(nxt, "next")
    stages.build(nxt.isoformat())
    cur.execute(
        "select sum(case when o.status = 'cancelled' then 0 else o.amount - coalesce(r.refund, 0) end)::text"
        " from orders o left join (select order_id, sum(refund_amount) refund from returns group by 1) r"
        " using (order_id)"
    )
    db_net = cur.fetchone()[0]
    con.close()
    after = _marts(backfill)
    assert str(after["net_revenue"].sum()) == db_net, "marts net revenue equals the database's own"
    assert after.filter(pl.col("email") == "new.mail@example.org").height == 1
    with duckdb.connect(str(backfill.warehouse_path), read_only=True) as w:
        versions = w.execute("select count(*) from marts.orders where order_id = ?", [cancelled]).fetchone()
    assert versions == (1,), "a restated order replaces its earlier version"
