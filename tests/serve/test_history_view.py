"""customer_segment_history served as a view over its periods: the same rows, without its copy."""

from __future__ import annotations

import json
import subprocess
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from pipelines.serve import Serving, publish
from pipelines.serve.history import sound
from pipelines.settings import get_settings
from tests.serve.factories import build_warehouse, old_duckdb_python

D1 = date(2025, 7, 1)
# the periods as customer_segment_periods' full build makes them (dbt_project/models/marts)
PERIODS = """
create or replace table marts.customer_segment_periods as
with long as (
    select customer_id, as_of_date, 'rfm_segment' as dimension, rfm_segment as value
    from marts.customer_segment_history
    union all select customer_id, as_of_date, 'lifecycle_stage', lifecycle_stage
    from marts.customer_segment_history
    union all select customer_id, as_of_date, 'profit_tier', profit_tier from marts.customer_segment_history
),
changes as (
    select *, case when lag(as_of_date) over w is null then 1
                   when lag(value) over w is not distinct from value then 0 else 1 end as starts
    from long window w as (partition by customer_id, dimension order by as_of_date)
),
numbered as (
    select *, sum(starts) over (partition by customer_id, dimension order by as_of_date
                                rows between unbounded preceding and current row) as period
    from changes
)
select customer_id, dimension, max(value) as value, min(as_of_date) as valid_from,
       cast(null as date) as valid_to, max(as_of_date) as last_seen_as_of,
       cast(count(*) as integer) as runs, false as is_current
from numbered group by customer_id, dimension, period
"""


def _warehouse(path: Path, days: int, absent_on: int | None = None) -> Path:
    """A warehouse whose history has `days` runs (people move in the first four, some join late)
    and its periods; `absent_on`: one customer is missing from that run only."""
    build_warehouse(path, customers=120)
    with duckdb.connect(str(path)) as con:
        con.execute(
            """
            create or replace table marts.customer_segment_history as
            select customer_id, $first::date + n::integer as as_of_date,
                   case when (i + least(n, 2)) % 4 = 0 then 'Loyal' else 'Lost' end as rfm_segment,
                   case when i % 5 = 0 then null else 'active' end as lifecycle_stage,
                   case when (i + least(n, 3)) % 7 = 0 then 'loss' else 'profit' end as profit_tier
            from (select customer_id, row_number() over (order by customer_id) as i
                  from marts.customer_rfm),
                 range($days) t(n)
            where n >= i % 4
            """,
            {"days": days, "first": D1},
        )
        if absent_on is not None:
            con.execute(
                "delete from marts.customer_segment_history where as_of_date = ? and customer_id = "
                "(select min(customer_id) from marts.customer_segment_history)",
                [D1 + timedelta(days=absent_on)],
            )
        con.execute(PERIODS)
    return path


def _served(root: Path) -> tuple[bool, int]:
    """(the history is a view, rows stored in the file's marts tables)."""
    with duckdb.connect(str(Serving(root).duckdb), read_only=True) as con:
        views = con.execute(
            "select count(*) from duckdb_views() where view_name = 'customer_segment_history'"
        ).fetchall()[0][0]
        stored = sum(
            con.execute(f'select count(*) from marts."{t}"').fetchall()[0][0]
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
        return bool(views), stored


def _differing(root: Path, warehouse: Path, as_of: date) -> tuple[int, int]:
    with duckdb.connect(str(Serving(root).duckdb), read_only=True) as con:
        con.execute(f"attach '{warehouse}' as w (read_only)")
        dated = f"(select * from w.marts.customer_segment_history where as_of_date <= date '{as_of}')"
        return con.execute(
            f"select (select count(*) from (from marts.customer_segment_history except all from {dated})),"
            f" (select count(*) from (from {dated} except all from marts.customer_segment_history))"
        ).fetchall()[0]


def test_the_history_is_a_view_with_its_rows_and_publish_copies_no_more_rows_for_more_days(
    tmp_path: Path,
) -> None:
    stored = {}
    for days in (4, 10):
        warehouse = _warehouse(tmp_path / f"w{days}.duckdb", days)
        as_of = D1 + timedelta(days=days - 1)
        root = tmp_path / f"serving{days}"
        manifest = publish(warehouse, root, as_of, "run")
        view, stored[days] = _served(root)
        assert view
        assert _differing(root, warehouse, as_of) == (0, 0)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            rows = con.execute("select count(*) from marts.customer_segment_history").fetchall()[0][0]
        assert manifest.rows()["marts.customer_segment_history"] == rows > 0
    # six more days of history (nobody moved): not one more row written into the file's marts
    assert stored[4] == stored[10]


def test_a_customer_missing_from_a_run_inside_a_period_keeps_the_history_a_copied_table(
    tmp_path: Path,
) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 5, absent_on=2)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert not sound(con, D1 + timedelta(days=4))  # its periods span the run it missed
    root = tmp_path / "serving"
    publish(warehouse, root, D1 + timedelta(days=4), "run")
    assert not _served(root)[0]
    assert _differing(root, warehouse, D1 + timedelta(days=4)) == (0, 0)


@pytest.mark.parametrize("duckdb_file", ["tables", "views"])
def test_a_backfill_serves_its_days_and_the_re_issue_keeps_the_view_without_the_erased(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, duckdb_file: str
) -> None:
    """`views` mode: the history is a view over its Parquet, re-issued into a table (as before)."""
    monkeypatch.setenv("RAPPORT_SERVING_DUCKDB", duckdb_file)
    get_settings.cache_clear()
    warehouse, root = _warehouse(tmp_path / "w.duckdb", 6), tmp_path / "serving"
    publish(warehouse, root, D1 + timedelta(days=5), "run_later")
    with duckdb.connect(str(warehouse)) as con:
        (gone,) = con.execute("select max(customer_id) from marts.customer_rfm").fetchall()[0]
        con.execute(  # as tests/serve/test_privacy.py: the columns erased_ids resolves a request by
            "alter table marts.customers add column email varchar;"
            " alter table marts.customers add column phone_e164 varchar;"
            " alter table marts.customers drop column source_customer_ids;"
            " alter table marts.customers add column source_customer_ids varchar;"
            " create table raw.erasures"
            " (email varchar, customer_id varchar, phone varchar, requested_at varchar)"
        )
        con.execute("insert into raw.erasures values (null, ?, null, null)", [gone])
        # the backfill's periods are those known on its day (customer_segment_periods' full build)
        con.execute("delete from marts.customer_segment_periods")
        con.execute("create temp table later as from marts.customer_segment_history")
        day = D1 + timedelta(days=2)
        con.execute("delete from marts.customer_segment_history where as_of_date > ?", [day])
        con.execute(PERIODS)
        con.execute("insert into marts.customer_segment_history from later where as_of_date > ?", [day])
    backfill = publish(warehouse, root, day, "run_backfill")
    serving = Serving(root)
    assert serving.current_version() != backfill.version  # re-issued, not moved back
    for path in root.rglob("*.duckdb"):  # the view's file holds no erased person's bytes
        assert gone.encode() not in path.read_bytes(), path
    for version in (backfill.version, serving.current_version()):
        as_of = backfill.as_of_date if version == backfill.version else D1 + timedelta(days=5)
        with duckdb.connect(str(serving.version_dir(version) / "rapport.duckdb"), read_only=True) as con:
            views = con.execute(
                "select count(*) from duckdb_views() where view_name = 'customer_segment_history'"
            ).fetchall()[0][0]
            assert views == (duckdb_file == "tables" or version == backfill.version)
            con.execute(f"attach '{warehouse}' as w (read_only)")
            expected = f"(select * from w.marts.customer_segment_history where as_of_date <= date '{as_of}'"
            expected += f" and customer_id <> '{gone}')"
            served = "marts.customer_segment_history"
            assert con.execute(
                f"select (select count(*) from (from {served} except all from {expected})),"
                f" (select count(*) from (from {expected} except all from {served}))"
            ).fetchall()[0] == (0, 0)
    get_settings.cache_clear()


def test_an_old_duckdb_client_reads_the_history_view(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "w.duckdb", 4)
    manifest = publish(warehouse, tmp_path / "serving", D1 + timedelta(days=3), "run")
    script = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
sql = "select count(*), count(distinct as_of_date) from marts.customer_segment_history"
rows = con.execute(sql).fetchall()
print(json.dumps({"version": duckdb.__version__, "rows": rows[0]}))
"""
    proc = subprocess.run(
        [str(old_duckdb_python()), "-c", script, str(Serving(tmp_path / "serving").duckdb)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    seen = json.loads(proc.stdout)
    assert seen == {"version": "1.1.3", "rows": [manifest.rows()["marts.customer_segment_history"], 4]}
