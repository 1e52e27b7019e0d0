"""`dbt build` on hand-written raw data (see conftest.py); expected values worked out by hand.

As of 2024-07-01, RFM window 730 days (orders from 2022-07-02):
  Anna  = C1 + C7 (same email up to case/spaces; C1 signed up first):
          O9 200.00 (2022, outside the window) + O1 120.50 + O2 80.25 - refund 30.10 = 370.65
  Bob   = C2: O4 40.00 (loaded twice) + O3 cancelled (refunded, still 0)        = 40.00
  Cara  = C3: O5 10.01; O6 on the as-of date does not count                     = 10.01
  C4    no email, no orders                                                     = 0.00
  Dave  = C5: O8 60.00 (refund after as-of ignored) + O10 25.00 (cancelled later) = 85.00
  X9    orders only: O7 15.00                                                   = 15.00
RFM (best first; score 6 - ceil(5 * place / 5), a tie takes the worst place of its block):
  recency   Cara 1 > Anna 11 > Dave 30 > Bob 213 > X9 488   -> r 5,4,3,2,1
  frequency Anna 2 = Dave 2 (place 2) > Bob 1 = Cara 1 = X9 1 (place 5) -> Anna 4, Dave 4, rest 1
  monetary  Anna 170.65 > Dave 85 > Bob 40 > X9 15 > Cara 10.01
  => Anna 445 Champions, Dave 344 Loyal, Bob 213 About To Sleep, Cara 511 New Customers, X9 112 Lost
"""

from __future__ import annotations

import csv
import itertools
import re
import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rapport_dbt import AS_OF, PROJECT, Run, dbt, ledger, write_raw

from pipelines.warehouse import connect

SEGMENT_CODES = {
    "Champions": "555 554 544 545 454 455 445",
    "Loyal": "543 444 435 355 354 345 344 335",
    "Potential Loyalist": "553 551 552 541 542 533 532 531 452 451 442 441 431 453 433 432 423 353 352 "
    "351 342 341 333 323",
    "New Customers": "512 511 422 421 412 411 311",
    "Promising": "525 524 523 522 521 515 514 513 425 424 413 414 415 315 314 313",
    "Need Attention": "535 534 443 434 343 334 325 324",
    "About To Sleep": "331 321 312 221 213 231 241 251",
    "At Risk": "255 254 245 244 253 252 243 242 235 234 225 224 153 152 145 143 142 135 134 133 125 124",
    "Cannot Lose Them": "155 154 144 214 215 115 114 113",
    "Hibernating": "332 322 233 232 223 222 132 123 122 212 211",
    "Lost": "111 112 121 131 141 151",
}


@pytest.fixture(scope="module")
def full(dbt_runs: dict[str, Run]) -> Run:
    run = dbt_runs["full"]
    assert run.returncode == 0, run.output[-6000:]
    return run


@pytest.fixture(scope="module")
def orders_only(dbt_runs: dict[str, Run]) -> Run:
    run = dbt_runs["orders_only"]
    assert run.returncode == 0, run.output[-6000:]
    return run


def test_net_revenue_per_person_to_the_cent(full: Run) -> None:
    got = dict(full.query("select customer_id, net_revenue from marts.customers"))
    assert got == {
        "C1": Decimal("370.65"),
        "C2": Decimal("40.00"),
        "C3": Decimal("10.01"),
        "C4": Decimal("0.00"),
        "C5": Decimal("85.00"),
        "X9": Decimal("15.00"),
    }


def test_two_accounts_with_one_email_are_one_person(full: Run) -> None:
    [anna] = full.query(
        "select source_customer_ids, email, last_name, acquisition_channel, orders, first_order_at::date "
        "from marts.customers where customer_id = 'C1'"
    )
    # contact details from the latest-updated account, acquisition from the first sign-up
    assert anna[:5] == ("C1|C7", "anna.smith@example.com", "Smith-Jones", "search", 3)
    assert str(anna[5]) == "2022-01-01"
    assert full.query("select customer_id, source_customer_id from marts.orders where order_id = 'O2'") == [
        ("C1", "C7")
    ]


def test_orders_versions_refunds_and_cancellations(full: Run) -> None:
    rows = full.query("select order_id, status, refunds, net_revenue from marts.orders order by order_id")
    assert rows == [
        ("O1", "delivered", Decimal("0.00"), Decimal("120.50")),
        ("O10", "placed", Decimal("0.00"), Decimal("25.00")),
        ("O2", "returned", Decimal("30.10"), Decimal("50.15")),
        ("O3", "cancelled", Decimal("55.55"), Decimal("0.00")),
        ("O4", "delivered", Decimal("0.00"), Decimal("40.00")),
        ("O5", "shipped", Decimal("0.00"), Decimal("10.01")),
        ("O7", "delivered", Decimal("0.00"), Decimal("15.00")),
        ("O8", "delivered", Decimal("0.00"), Decimal("60.00")),
        ("O9", "delivered", Decimal("0.00"), Decimal("200.00")),
    ]


def test_rfm_scores_and_segments(full: Run) -> None:
    rows = full.query(
        "select customer_id, recency_days, frequency, monetary, rfm_code, segment, as_of_date::varchar "
        "from marts.customer_rfm order by customer_id"
    )
    # frequency ties (C1 = C5 = 2; C2 = C3 = X9 = 1) share a score: the block's worst place
    assert rows == [
        ("C1", 11, 2, Decimal("170.65"), "445", "Champions", AS_OF),
        ("C2", 213, 1, Decimal("40.00"), "213", "About To Sleep", AS_OF),
        ("C3", 1, 1, Decimal("10.01"), "511", "New Customers", AS_OF),
        ("C5", 30, 2, Decimal("85.00"), "344", "Loyal", AS_OF),
        ("X9", 488, 1, Decimal("15.00"), "112", "Lost", AS_OF),
    ]


def test_consent_as_of_the_run_date(full: Run) -> None:
    rows = full.query(
        "select customer_id, has_marketing_consent, unsubscribed_at::varchar from marts.customers"
    )
    assert sorted(rows) == [
        ("C1", True, None),  # C1 said no at sign-up, C7 (updated later) said yes
        ("C2", False, "2024-03-01 08:00:00"),  # restated: unsubscribed
        ("C3", True, None),  # opted out only after the as-of date
        ("C4", False, None),  # consent unknown
        ("C5", False, "2024-05-01 09:00:00"),  # unsubscribe email event
        ("X9", False, None),  # orders only: nothing known
    ]


def test_segments_keep_non_consenting_customers(full: Run) -> None:
    cols = "customer_id, email, segment, rfm_code, net_revenue, last_order_at::varchar, is_marketable"
    assert full.query(f"select {cols} from segments.segment_champions") == [
        ("C1", "anna.smith@example.com", "Champions", "445", Decimal("370.65"), "2024-06-20 09:30:00", True)
    ]
    # win-back = lapsed (Bob, 213 days) or churned (X9, 488 days) with positive contribution
    assert full.query(f"select {cols} from segments.segment_win_back order by customer_id") == [
        ("C2", "bob@example.com", "About To Sleep", "213", Decimal("40.00"), "2023-12-01 08:00:00", False),
        ("X9", None, "Lost", "112", Decimal("15.00"), "2023-03-01 12:00:00", False),
    ]
    types = full.query(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'segments' and table_name = 'segment_win_back' order by ordinal_position"
    )
    assert types == [
        ("customer_id", "VARCHAR"),
        ("email", "VARCHAR"),
        ("first_name", "VARCHAR"),
        ("last_name", "VARCHAR"),
        ("segment", "VARCHAR"),
        ("rfm_code", "VARCHAR"),
        ("net_revenue", "DECIMAL(18,2)"),
        ("last_order_at", "TIMESTAMP"),
        ("is_marketable", "BOOLEAN"),
        ("as_of_date", "DATE"),
        ("phone_e164", "VARCHAR"),
        ("country", "VARCHAR"),
        ("postal_code", "VARCHAR"),
    ]


def test_models_land_in_plain_schemas(full: Run) -> None:
    schemas = {s for (s,) in full.query("select distinct table_schema from information_schema.tables")}
    assert schemas == {"raw", "staging", "intermediate", "marts", "segments", "incremental_state"}
    # each incremental fact (and the segment periods) remembers the day it was built for, for the
    # next build to compare with
    assert full.query("select model_name, as_of_date::varchar from incremental_state.builds order by 1") == [
        ("customer_segment_periods", AS_OF),
        ("interactions", AS_OF),
        ("order_lines", AS_OF),
        ("orders", AS_OF),
    ]


def test_the_sql_unit_tests_run_here(full: Run) -> None:
    """The DAG's builds leave unit tests out (pipelines/builds.py): this plain build is where
    every YAML unit test runs, and the fixture fails if one does."""
    ran = re.search(r"Finished running .*?(\d+) unit tests?", full.output)
    assert ran and int(ran.group(1)) >= 20, full.output[-2000:]


def test_orders_only_landing_builds_one_person_per_id(orders_only: Run) -> None:
    got = dict(orders_only.query("select customer_id, net_revenue from marts.customers"))
    assert got == {
        "C1": Decimal("320.50"),
        "C7": Decimal("80.25"),  # no email known: not merged, no refund known
        "C2": Decimal("40.00"),
        "C3": Decimal("10.01"),
        "C5": Decimal("85.00"),
        "X9": Decimal("15.00"),
    }
    assert orders_only.query("select count(*) from marts.customers where has_marketing_consent") == [(0,)]
    assert orders_only.query("select count(*), count(segment) from marts.customer_rfm") == [(6, 6)]


def test_seed_is_the_specified_segment_map() -> None:
    spec = {code: segment for segment, codes in SEGMENT_CODES.items() for code in codes.split()}
    with open(PROJECT / "seeds" / "rfm_segment_map.csv", newline="") as fh:
        seed = {row["rfm_code"]: row["segment"] for row in csv.DictReader(fh)}
    assert len(spec) == 125
    assert seed == spec


def test_missing_as_of_date_is_a_clear_error(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})
    proc = dbt(tmp_path, warehouse, "compile", "--select", "int_orders_as_of", as_of=None)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0
    assert "Missing as-of date" in out, out[-3000:]


def _periods_by_hand(history: list[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    """customer_segment_periods worked out from (customer_id, as_of_date, rfm, lifecycle, tier) rows."""
    latest, runs = max(row[1] for row in history), defaultdict(list)
    for customer, day, *values in sorted(history, key=lambda row: row[1]):
        for dimension, value in zip(("rfm_segment", "lifecycle_stage", "profit_tier"), values, strict=True):
            runs[(customer, dimension)].append((day, value))
    periods = set()
    for (customer, dimension), seen in runs.items():
        starts = [i for i, (_, value) in enumerate(seen) if i == 0 or value != seen[i - 1][1]] + [len(seen)]
        for start, end in itertools.pairwise(starts):
            valid_to = seen[end][0] if end < len(seen) else None
            last = seen[end - 1][0]
            value, valid_from = seen[start][1], seen[start][0]
            periods.add((customer, dimension, value, valid_from, valid_to, last, end - start, last == latest))
    return periods


def _transitions_by_periods(periods: set[tuple[Any, ...]]) -> set[tuple[Any, ...]]:
    starts = {(p[0], p[1], p[3]): p for p in periods}
    return {
        (c, d, value, starts[(c, d, valid_to)][2], valid_to, last)
        for c, d, value, _, valid_to, last, _, _ in periods
        if valid_to is not None
    }


def _assert_periods_follow_the_history(run: Run) -> None:
    history = run.query(
        "select customer_id, as_of_date, rfm_segment, lifecycle_stage, profit_tier"
        " from marts.customer_segment_history"
    )
    periods = set(run.query("select * from marts.customer_segment_periods"))
    assert periods == _periods_by_hand(history)
    assert set(run.query("select * from marts.segment_transitions")) == _transitions_by_periods(periods)


def test_segment_history_rerun_replaces_the_day(full: Run, tmp_path: Path) -> None:
    """Two days then the second again: one row per customer per day, transitions from real moves.
    The periods of a next day are the last build's extended by the new day (delta), those of a
    rerun or after an erasure are rebuilt or trimmed: each equals the periods worked out by hand
    from the history. The first day is the shared build of FULL as of AS_OF (`full`), copied."""
    assert AS_OF == "2024-07-01"
    assert "customer_segment_periods: full build" in full.output, full.output[-4000:]
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full.warehouse, warehouse)
    _assert_periods_follow_the_history(Run(warehouse, 0, ""))
    for as_of, plan in (("2024-12-30", "delta"), ("2024-12-30", "full")):
        proc = dbt(tmp_path, warehouse, "build", as_of=as_of)
        out, _ = proc.communicate(timeout=300)
        assert proc.returncode == 0, out[-4000:]
        assert f"customer_segment_periods: {plan} build" in out, out[-4000:]
        _assert_periods_follow_the_history(Run(warehouse, 0, ""))
    run = Run(warehouse, 0, "")
    assert run.query(
        "select as_of_date::varchar, count(*), count(distinct customer_id) "
        "from marts.customer_segment_history group by 1 order by 1"
    ) == [("2024-07-01", 6, 6), ("2024-12-30", 6, 6)]
    # Cara's only order (2024-06-30) makes her new on 1 July; 183 days later she has lapsed
    assert run.query(
        "select from_value, to_value, as_of_date::varchar from marts.segment_transitions "
        "where customer_id = 'C3' and dimension = 'lifecycle_stage'"
    ) == [("new", "lapsed", "2024-12-30")]
    # the same history in snapshot shape: one period per value, the latest still open
    assert run.query(
        "select value, valid_from::varchar, valid_to::varchar, is_current "
        "from marts.customer_segment_periods where customer_id = 'C3' and dimension = 'lifecycle_stage' "
        "order by valid_from"
    ) == [("new", "2024-07-01", "2024-12-30", False), ("lapsed", "2024-12-30", None, True)]
    # Cara asks to be erased; the next day's periods are a delta that drops her
    with connect(warehouse) as con:
        con.execute(
            "insert into raw.erasures (email, customer_id, phone, requested_at, _source_file, _source_line)"
            " values (null, 'C3', null, '30/12/2024 10:00', 'erasures/date=2024-12-30/part-00.csv', 2)"
        )
        ledger(con)
    proc = dbt(tmp_path, warehouse, "run", "--select", "+segment_transitions", as_of="2024-12-31")
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-4000:]
    assert "customer_segment_periods: delta build" in out, out[-4000:]
    _assert_periods_follow_the_history(run)
    for table in ("customer_segment_history", "customer_segment_periods", "segment_transitions"):
        assert run.query(f"select count(*) from marts.{table} where customer_id = 'C3'") == [(0,)], table


def test_a_new_as_of_date_from_the_env_keeps_the_partial_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RAPPORT_AS_OF_DATE is read only when executing: the next day re-parses no file (a
    changed --vars value re-parses all of them), and the SQL still gets the new date."""
    import json

    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {})

    def run(*args: str) -> None:
        proc = dbt(tmp_path, warehouse, *args, as_of=None)
        out, _ = proc.communicate(timeout=600)
        assert proc.returncode == 0, out[-3000:]

    monkeypatch.setenv("RAPPORT_AS_OF_DATE", "2024-03-01")
    run("parse")
    monkeypatch.setenv("RAPPORT_AS_OF_DATE", "2024-03-02")
    run("parse")
    perf = json.loads((tmp_path / "target" / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["parsed_path_count"] == 0, perf
    run("compile", "--select", "int_consents_resolved")
    sql = next((tmp_path / "target" / "compiled").rglob("int_consents_resolved.sql")).read_text()
    assert "cast('2024-03-02' as date)" in sql


def test_column_rules_count_the_rows_breaking_each_rule(full: Run, tmp_path: Path) -> None:
    """A model's not_null, unique and accepted_values rules are one test
    (tests/generic/column_rules.sql): it fails with the number of rows breaking a rule, as dbt's own
    tests would, and its rows name the column and the rule; a null status passes accepted_values,
    as in dbt's test; a repeated order_id breaks unique once."""
    import json

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full.warehouse, warehouse)
    with connect(warehouse) as con:
        con.execute("update marts.orders set amount = null where order_id in ('O1', 'O4')")
        con.execute("update marts.orders set status = 'lost' where order_id = 'O5'")
        con.execute("update marts.orders set status = null where order_id = 'O8'")
        con.execute("update marts.orders set order_id = 'O2' where order_id = 'O3'")
    # cautious: not order_lines' column_rules, which also reads orders (its order_id relationship)
    select = ("--select", "test_name:column_rules,orders", "--indirect-selection", "cautious")
    proc = dbt(tmp_path, warehouse, "test", *select)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0, out[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    [result] = [r for r in results if r["unique_id"].startswith("test.")]  # not the on-run-start hook
    assert (result["status"], result["failures"]) == ("fail", 4), result
    sql = next((tmp_path / "target" / "compiled").rglob("column_rules_orders_*.sql")).read_text()
    broken = Run(warehouse, 0, "").query(f"select * from ({sql}) order by 1")
    assert broken == [("amount", "not_null", 2), ("order_id", "unique", 1), ("status", "accepted_values", 1)]


def test_column_rules_fold_relationships_and_expressions(full: Run, tmp_path: Path) -> None:
    """A segment's unique, relationships and expression rules are in its column_rules test too:
    each breaking row counts once per rule it breaks (a customer_id missing from customers breaks
    the relationship; a false or null expression breaks it, as expression_is_true; a null id
    refers to nothing), and the built segment passes."""
    import json

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full.warehouse, warehouse)
    select = ("test", "--select", "test_name:column_rules,segment_champions")
    proc = dbt(tmp_path, warehouse, *select)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and " PASS column_rules_segment_champions" in out, out[-3000:]
    with connect(warehouse) as con:
        [anna] = con.execute("select customer_id from segments.segment_champions").fetchall()
        con.execute("insert into segments.segment_champions select * from segments.segment_champions")
        for new_id, segment in (("'NOBODY'", "'Loyal'"), ("'NOONE'", "null"), ("null", "'Champions'")):
            con.execute(
                f"insert into segments.segment_champions select * replace ({new_id} as customer_id,"
                f" {segment} as segment) from segments.segment_champions where customer_id = ? limit 1",
                [anna[0]],
            )
    proc = dbt(tmp_path, warehouse, *select)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0, out[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    [result] = [r for r in results if r["unique_id"].startswith("test.")]
    assert (result["status"], result["failures"]) == ("fail", 7), result
    sql = next((tmp_path / "target" / "compiled").rglob("column_rules_segment_champions_*.sql")).read_text()
    broken = Run(warehouse, 0, "").query(f"select * from ({sql}) order by 1, 2")
    assert broken == [
        ("customer_id", "not_null", 1),
        ("customer_id", "relationships", 2),
        ("customer_id", "unique", 1),
        ("segment", "not_null", 1),
        ("segment = 'Champions'", "expression", 2),
    ]


def test_one_segment_and_stage_names_each_customer_breaking_it(full: Run, tmp_path: Path) -> None:
    """assert_customers_have_one_segment_and_stage counts each mart once per customer and joins the
    counts: the built marts pass; a second lifecycle stage, a lost profit tier and an RFM row
    without a segment each fail it, for exactly those customers (and a customer outside every
    mart counts zero everywhere, not null)."""
    compiled = full.warehouse.parent / "target" / "compiled" / "rapport" / "tests"
    sql = (compiled / "assert_customers_have_one_segment_and_stage.sql").read_text()
    assert full.query(sql) == []
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full.warehouse, warehouse)
    with connect(warehouse) as con:
        staged, tiered, scored = (
            row[0]
            for row in con.execute(
                "select customer_id from marts.customer_rfm where segment is not null"
                " and customer_id in (select customer_id from marts.customer_lifecycle) order by 1 limit 3"
            ).fetchall()
        )
        con.execute(
            "insert into marts.customer_lifecycle"
            " select * from marts.customer_lifecycle where customer_id = ?",
            [staged],
        )
        con.execute(
            "update marts.customer_profitability set profit_tier = null where customer_id = ?", [tiered]
        )
        con.execute("update marts.customer_rfm set segment = null where customer_id = ?", [scored])
        con.execute("insert into marts.customers (customer_id, orders) values ('nobody', 0)")
    broken = Run(warehouse, 0, "").query(
        f"select customer_id, stages, tiers, rfm_rows, segments from ({sql})"
    )
    assert sorted(broken) == sorted(
        [(staged, 2, 1, 1, 1), (tiered, 1, 0, 1, 1), (scored, 1, 1, 1, 0), ("nobody", 0, 0, 0, 0)]
    )


def test_segment_history_tests_read_the_day_written(full: Run, tmp_path: Path) -> None:
    """customer_segment_history's data tests read only the as-of date's rows (macros/test_where.sql),
    so their cost does not grow with the days recorded: a broken earlier day (written as it could
    not be today) is not read again; the same breaks in the as-of date's rows fail both tests."""
    import json

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(full.warehouse, warehouse)
    select = ("test", "--select", "customer_segment_history", "--indirect-selection", "cautious")
    history = "marts.customer_segment_history"
    broken = "insert into {h} select * replace ({d} as as_of_date, null as profit_tier) from {h}"
    with connect(warehouse) as con:
        for _ in range(2):  # an earlier day: every customer twice, without a profit tier
            con.execute(broken.format(h=history, d="date '2024-06-30'"))
    proc = dbt(tmp_path, warehouse, *select)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0 and out.count(" PASS ") == 2, out[-3000:]
    with connect(warehouse) as con:  # the as-of date's: one customer twice, one without a tier
        con.execute(broken.format(h=history, d="as_of_date") + " limit 1")
    proc = dbt(tmp_path, warehouse, *select)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode != 0, out[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    tests = [r for r in results if r["unique_id"].startswith("test.")]  # not the on-run-start hook
    failures = sorted(
        (r["unique_id"].split(".")[2].split("_customer_segment")[0], r["failures"]) for r in tests
    )
    assert failures == [("column_rules", 1), ("unique_combination_of_columns", 1)], failures
