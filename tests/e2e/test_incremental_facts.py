"""The incremental fact tables (orders, order_lines, interactions) against a --full-refresh of the
same warehouse, step by step through what a daily feed does: new days, a rerun, late and restated
rows, a new duplicate account that changes who a person is, a replaced file, and a backfill."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.asof import default_as_of
from pipelines.generate import generate_shop
from pipelines.load import commit_staged, stage_landing
from pipelines.settings import Settings
from pipelines.transform import run_dbt
from tests.e2e import independent
from tests.e2e.test_multi_day_marts import _copy_days

pytestmark = pytest.mark.e2e
FACTS = ("orders", "order_lines", "interactions")


class Feed:
    """A warehouse fed and built day by day, and the dbt log lines of its last build."""

    def __init__(self, home: Path, full: Path) -> None:
        self.home, self.full, self.landing = home, full, home / "landing"
        self.settings = Settings(home=home)
        self.runs = 0

    def run(self, as_of: date, copy_days: bool = True) -> dict[str, str]:
        """Load what the landing holds for `as_of`, build the facts; {model: plan line}."""
        if copy_days:
            _copy_days(self.full, self.landing, as_of)
        self.runs += 1
        run_id = f"run{self.runs}"
        stage_landing(self.landing, self.settings.warehouse_path, as_of, run_id)
        commit_staged(self.settings.warehouse_path, run_id)
        log = self.home / "dbt" / "logs" / "dbt.log"
        seen = log.stat().st_size if log.exists() else 0
        run_dbt(self.settings, ["run", "-s", "+order_economics", "+customer_engagement"], as_of)
        with log.open(encoding="utf-8", errors="replace") as handle:
            handle.seek(seen)
            lines = [line for line in handle if " build (" in line]
        plans = {m: next(line for line in lines if f" {m}: " in line) for m in FACTS}
        return {m: line.split(f" {m}: ")[1].strip() for m, line in plans.items()}

    def query(self, sql: str, path: Path | None = None) -> pl.DataFrame:
        with duckdb.connect(str(path or self.settings.warehouse_path), read_only=True) as con:
            return con.sql(sql).pl()

    def assert_same_as_full_refresh(self, as_of: date) -> None:
        """Rebuild the facts from scratch in a copy; both must hold exactly the same rows."""
        copy = Settings(home=self.home / "copy")
        copy.home.mkdir(exist_ok=True)
        shutil.copyfile(self.settings.warehouse_path, copy.warehouse_path)
        run_dbt(copy, ["run", "--full-refresh", "-s", *FACTS], as_of)
        with duckdb.connect(str(self.settings.warehouse_path), read_only=True) as con:
            con.execute(f"attach '{copy.warehouse_path}' as fresh (read_only)")
            for fact in FACTS:
                for a, b in (("marts", "fresh.marts"), ("fresh.marts", "marts")):
                    extra = con.execute(
                        f"select count(*) from (select * from {a}.{fact} except all select * from {b}.{fact})"
                    ).fetchall()[0][0]
                    assert extra == 0, f"{fact}: {extra} rows in {a} and not in {b}"
            assert con.execute("select count(*) from marts.orders").fetchall()[0][0] > 0


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Feed, list[date]]:
    home = tmp_path_factory.mktemp("incremental")
    full = home / "full"
    generate_shop(full, customers=800, seed=31)
    last = default_as_of(full)
    feed = Feed(home, full)
    days = [last - timedelta(days=3), last - timedelta(days=2), last - timedelta(days=1)]
    assert set(feed.run(days[0]).values()) == {"full build (new table or --full-refresh)"}
    return feed, days


def _write(landing: Path, entity: str, day: date, name: str, frame: pl.DataFrame) -> None:
    folder = landing / entity / f"date={day.isoformat()}"
    folder.mkdir(parents=True, exist_ok=True)
    frame.write_csv(folder / name)


def test_next_day_and_its_rerun_are_deltas_equal_to_a_full_refresh(feed) -> None:
    feed, days = feed
    before = feed.query("select count(*) as n from marts.orders")["n"][0]
    plans = feed.run(days[1])
    assert all(p.startswith("delta build") for p in plans.values()), plans
    _assert_versions_read_twice(feed.home / "dbt" / "target" / "compiled" / "rapport" / "models")
    after = feed.query("select count(*) as n from marts.orders")["n"][0]
    placed = (
        independent.read(feed.landing, "orders")
        .filter(pl.col("ordered_at").str.to_datetime().dt.date() < days[1])["order_id"]
        .n_unique()
    )
    assert after == placed > before  # the day's orders arrived, once each
    feed.assert_same_as_full_refresh(days[1])
    plans = feed.run(days[1])  # the same day again: nothing to add, nothing doubled
    assert all(p.startswith("delta build") for p in plans.values()), plans
    assert feed.query("select count(*) as n from marts.orders")["n"][0] == after
    feed.assert_same_as_full_refresh(days[1])


def _assert_versions_read_twice(compiled: Path) -> None:
    """A delta reads each input's versions twice: its touched keys once, its touched rows once
    (materialized CTEs), not again at each filter and each of the dedupe's four reads."""
    facts = compiled / "marts" / "facts"
    sql = (facts / "interactions.sql").read_text()
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    for entity in ("email_events", "web_sessions", "support_tickets"):
        assert code.count(f'"stg_shop__{entity}_versions"') == 2, entity


def test_late_restated_rows_and_a_new_duplicate_account_are_followed(feed) -> None:
    feed, days = feed
    landing = feed.landing
    # someone with other orders and emails that no new file touches: only a changed person moves them
    old = feed.query(
        "select min(o.order_id) as order_id, o.customer_id from marts.orders as o"
        " where not o.is_cancelled and o.customer_id = o.source_customer_id"
        " and o.customer_id in (select customer_id from marts.interactions where channel = 'email')"
        " group by o.customer_id having count(*) >= 2 order by o.customer_id limit 1"
    )
    order_id, person = old["order_id"][0], old["customer_id"][0]
    orders = independent.read(landing, "orders").filter(pl.col("order_id") == order_id).head(1)
    later = f"{days[2].isoformat()} 12:00:00"  # lands now, counts only from the next day on
    # the order is cancelled, in a file dated months back (a late corrected export)
    _write(
        landing,
        "orders",
        days[0] - timedelta(days=90),
        "late.csv",
        orders.with_columns(pl.lit("cancelled").alias("status"), pl.lit(later).alias("updated_at")),
    )
    events = independent.read(landing, "email_events").head(1)
    _write(
        landing,
        "email_events",
        days[0] - timedelta(days=200),
        "late.csv",
        events.with_columns(
            pl.lit("ELATE").alias("event_id"),
            pl.lit(person).alias("customer_id"),
            pl.lit(later).alias("occurred_at"),
        ),
    )
    # the same person signed up earlier under another id: that id becomes the person's id
    account = independent.read(landing, "customers").filter(pl.col("customer_id") == person).head(1)
    _write(landing, "customers", days[2] - timedelta(days=1), "late.csv",
           account.with_columns(pl.lit("CEARLIER").alias("customer_id"),
                                pl.lit("2000-01-01 00:00:00").alias("signed_up_at"),
                                pl.lit("2000-01-01 00:00:00").alias("updated_at")))  # fmt: skip

    def state() -> tuple[list[tuple[str, bool]], int]:
        sql = f"select customer_id, is_cancelled from marts.orders where order_id = '{order_id}'"
        order = feed.query(sql)
        late = feed.query("select count(*) as n from marts.interactions where interaction_id = 'ELATE'")
        return order.rows(), late["n"][0]

    plans = feed.run(days[2])
    assert all(p.startswith("delta build") for p in plans.values()), plans
    feed.assert_same_as_full_refresh(days[2])
    assert state() == ([("CEARLIER", False)], 0)
    for fact in FACTS:
        stale = feed.query(f"select count(*) as n from marts.{fact} where customer_id = '{person}'")
        assert stale["n"][0] == 0, fact

    plans = feed.run(days[2] + timedelta(days=1))  # what landed yesterday takes effect today
    assert all(p.startswith("delta build") for p in plans.values()), plans
    feed.assert_same_as_full_refresh(days[2] + timedelta(days=1))
    assert state() == ([("CEARLIER", True)], 1)


def test_a_replaced_file_and_a_backfill_rebuild_everything(feed) -> None:
    feed, days = feed
    loaded = sorted((feed.landing / "orders").glob(f"date={days[1].isoformat()}/*.csv"))[0]
    frame = pl.read_csv(loaded, infer_schema=False)
    frame.head(frame.height - 1).write_csv(loaded)  # the shop re-sent the day without one order
    plans = feed.run(days[2] + timedelta(days=1), copy_days=False)
    assert "1 loaded file(s) replaced or removed" in plans["orders"], plans
    assert "1 loaded file(s) replaced or removed" in plans["order_lines"], plans
    assert plans["interactions"].startswith("delta build"), plans  # it reads no orders file
    feed.assert_same_as_full_refresh(days[2] + timedelta(days=1))

    plans = feed.run(days[0], copy_days=False)
    assert all(p.startswith("full build (backfill") for p in plans.values()), plans
    feed.assert_same_as_full_refresh(days[0])
    assert feed.query("select max(ordered_at) as t from marts.orders")["t"][0].date() < days[0]
