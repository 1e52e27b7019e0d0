"""The per-entity incoming suites on batches staged by the real loader."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from expectations.suites.incoming import Thresholds
from pipelines.cli.quality import quality_lines
from pipelines.quality import QualityGateFailed, gate_incoming_batch, validate_incoming_batch
from pipelines.settings import Settings
from pipelines.summary import quality_line
from tests.load.support import Site

AS_OF = date(2024, 3, 1)
LANDING = {
    "customers/date=2024-02-28/customers.csv": "customer_id,email,phone,marketing_consent,signed_up_at\n"
    "c1, A@Example.com ,+44 20 7946 0000,true,2024-02-28\nc2,b@example.com,(313) 555-0116,false,2024-02-28\n"
    "c3,not-an-email,call me,,2024-02-28\nc4,d@example.com,,true,2099-01-01\n",
    "orders/date=2024-02-29/orders.csv": "order_id,customer_id,ordered_at,amount,status,currency\n"
    "o1,c1,2024-02-29 10:00:00,10,placed,EUR\no2,c4,2024-02-29 11:00:00,5,shipped,EUR\n",
    "order_lines/date=2024-02-29/order_lines.csv": "order_line_id,order_id,product_id,quantity,unit_price\n"
    "l1,o1,p1,2,5\n",
    "returns/date=2024-02-29/returns.csv": "return_id,order_id,returned_at,refund_amount\n"
    "r1,o1,2024-02-29,5\n",
    "nps_responses/date=2024-02-29/nps_responses.csv": "response_id,customer_id,responded_at,score\n"
    "n1,c1,2024-02-29,9\nn2,c2,2024-02-29,0\n",
    "email_events/date=2024-02-29/email_events.csv": "event_id,customer_id,event_type,occurred_at\n"
    "e1,c1,send,2024-02-29\ne2,c2,open,2024-02-29\n",
}


@pytest.fixture
def staged(tmp_path: Path) -> Site:
    site = Site(tmp_path / "landing", tmp_path / "wh" / "warehouse.duckdb")
    site.warehouse.parent.mkdir()
    for rel, content in LANDING.items():
        site.write(rel, content)
    site.stage("r1", AS_OF)
    return site


def _warnings(results: tuple) -> set[tuple[str, str | None]]:
    return {(r.suite, w.column) for r in results for w in r.warnings}


def test_every_entity_suite_runs_from_one_gate_and_flags_what_rows_rules_cannot(
    staged: Site, tmp_path: Path
) -> None:
    results = validate_incoming_batch(staged.warehouse, "r1", tmp_path / "q", data_docs=False)
    assert [r.suite for r in results] == [
        "incoming_orders", "incoming_customers", "incoming_order_lines",
        "incoming_returns", "incoming_nps_responses", "incoming_email_events",
    ]  # fmt: skip
    assert all(r.success for r in results), [r.summary_lines() for r in results]
    # c4 was quarantined (signed up in 2099): its order loads but the gate says it has no record
    assert _warnings(results) == {
        ("incoming_orders", "_unknown_customer"),
        ("incoming_customers", "_email"),
        ("incoming_customers", "phone"),
        ("incoming_customers", "marketing_consent"),
    }
    orders = results[0]
    [unknown] = orders.warnings
    assert unknown.examples == ("'c4' (at orders/date=2024-02-29/orders.csv:3)",)


def test_a_loader_regression_is_caught_by_the_critical_safety_net(staged: Site, tmp_path: Path) -> None:
    with duckdb.connect(str(staged.warehouse)) as con:  # as if a row rule had been lost
        con.execute("insert into incoming.nps_responses values ('n3', 'c1', '2024-02-29', 11, 'nps.csv', 7)")
        con.execute(
            "insert into incoming.email_events values ('e1', 'c1', 'send', '2024-02-29', null, 'x.csv', 2)"
        )
    with pytest.raises(QualityGateFailed) as caught:
        gate_incoming_batch(staged.warehouse, "r1", tmp_path / "q")
    message = str(caught.value)
    assert (
        "incoming_nps_responses[incoming.nps_responses] expect_column_values_to_be_between(score)" in message
    )
    assert "11 (at nps.csv:7)" in message
    assert (
        "incoming_email_events[incoming.email_events] expect_column_values_to_be_unique(event_id)" in message
    )
    assert str(tmp_path / "q" / "r1" / "index.html") in message


def test_size_freshness_and_opening_date_are_parameters(staged: Site, tmp_path: Path) -> None:
    strict = Thresholds(shop_opened=date(2024, 2, 29), max_age_days=0, expected_rows=20)
    results = validate_incoming_batch(
        staged.warehouse,
        "r1",
        tmp_path / "q",
        entities=("nps_responses",),
        thresholds=strict,
        data_docs=False,
    )
    [nps] = results
    assert nps.success
    assert {(w.expectation, w.column) for w in nps.warnings} == {
        ("expect_column_max_to_be_between", "responded_at"),  # newest answer older than the as-of date
    }


def test_rapport_quality_prints_suites_and_quarantine(staged: Site, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path)
    (tmp_path / "warehouse.duckdb").write_bytes(staged.warehouse.read_bytes())
    validate_incoming_batch(settings.warehouse_path, "r1", settings.quality_dir, data_docs=False)
    from pipelines.load import commit_staged

    commit_staged(settings.warehouse_path, "r1")
    lines = quality_lines(settings)
    assert lines[0].startswith("quality run r1: 6 suite(s), 0 failed")
    assert (
        "  incoming_customers [incoming.customers] passed: 3 rows, 10 expectations, 0 critical, 3 warning(s)"
        in lines
    )
    assert any(
        line.startswith("    warning  _email: ") and line.endswith("[expect_column_values_to_match_regex]")
        for line in lines
    )
    assert "quarantine (raw._quarantine): 1 row(s)" in lines
    assert any(line.split()[:4] == ["customers", "future", "date", "1"] and "e.g. " in line for line in lines)
    assert quality_line(settings, "r1").split(";")[1].strip().startswith("1 row(s) in quarantine")


def test_a_failing_batch_fails_the_same_as_on_every_staged_column(staged: Site, tmp_path: Path) -> None:
    """The gate hands GX only the columns each suite reads: the same expectations fail, with the
    same counts, observed values and examples, as on a frame of every staged column."""
    from dataclasses import replace

    from expectations.suites.incoming import build_suite
    from expectations.suites.incoming_orders import build_suite as build_orders_suite
    from pipelines.quality.frames import read_staged
    from pipelines.quality.runner import run_suite

    with duckdb.connect(str(staged.warehouse)) as con:
        con.execute("insert into incoming.nps_responses values ('n3', 'c1', '2024-02-29', 11, 'nps.csv', 7)")
        con.execute("update incoming.customers set customer_id = null where customer_id = 'c2'")
        con.execute("update incoming.orders set amount = -3, status = 'lost' where order_id = 'o2'")
    results = validate_incoming_batch(staged.warehouse, "r1", tmp_path / "q", data_docs=False)
    failed = {
        (r.suite, f.expectation, f.column, f.unexpected_count) for r in results for f in r.critical_failures
    }
    assert failed == {
        ("incoming_nps_responses", "expect_column_values_to_be_between", "score", 1),
        ("incoming_customers", "expect_column_values_to_not_be_null", "customer_id", 1),
        ("incoming_orders", "expect_column_values_to_be_between", "amount", 1),
        ("incoming_orders", "expect_column_values_to_be_in_set", "status", 1),
    }
    with pytest.raises(QualityGateFailed):
        gate_incoming_batch(staged.warehouse, "r1", tmp_path / "q2")
    for result in results:
        entity = result.batch.removeprefix("incoming.")
        with duckdb.connect(str(staged.warehouse), read_only=True) as con:
            whole = read_staged(con, entity)  # every staged column, as the gate once read it
        assert whole is not None
        t = replace(Thresholds(), as_of=whole.as_of, expected_rows=whole.expected_rows)
        suite = build_orders_suite(thresholds=t) if entity == "orders" else build_suite(entity, t)
        lineage = ("_source_file", "_source_line")
        before = run_suite(suite, whole.frame, result.batch, "r0", tmp_path / "q0", lineage, data_docs=False)
        assert result.results == before.results, entity
        assert result.row_count == before.row_count
