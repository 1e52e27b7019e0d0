"""Phase 1: reading, typing and quarantining a batch into schema `incoming`."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest

from pipelines.load import BatchRejected
from tests.load.support import CUSTOMERS, ORDERS_HEADER, Site, has_schema

ORDERS = "orders/date=2024-02-01/o.csv"
# status only takes known values: free text (multi-line, quoted) goes into currency here
TEXT_HEADER = b"order_id,customer_id,ordered_at,amount,currency\n"


def test_each_row_rule_quarantines_the_exact_line_and_column(site: Site) -> None:
    site.write("customers/c.csv", CUSTOMERS)
    site.write(
        ORDERS,
        TEXT_HEADER + b'o1,c1,2024-02-01T10:00:00Z,10.50,"two\nlines"\n'  # lines 2-3: good
        b"o2,c1,2024-02-01,abc,placed\n"
        b"o3,,2024-02-01,5,placed\n"
        b"o4,c1,2024-02-01,-1,placed\n"
        b"o5,c1,2024-03-02 00:00:01,5,placed\n"  # as_of 2024-03-01 + 1 day, plus a second
        b"o6,c1,2024-03-02 00:00:00,5,placed\n"  # good: exactly as_of + 1 day
        b"o1,c2,2024-02-01,1,placed\n"
        b"o7,c9,2024-02-01,1,placed\n"
        b"o8,c2,2024-02-01,1,placed,surplus\n"
        b"\n"
        b"o9,c\xff2,2024-02-01,1,placed\n",
    )
    report = site.stage()
    assert site.quarantine() == {
        (ORDERS, 4, "amount", "wrong type"),
        (ORDERS, 5, "customer_id", "missing required value"),
        (ORDERS, 6, "amount", "negative value"),
        (ORDERS, 7, "ordered_at", "future date"),
        (ORDERS, 9, "order_id", "duplicate key in file"),
        (ORDERS, 10, "customer_id", "orphan customer_id"),
        (ORDERS, 11, None, "unparseable row"),
        (ORDERS, 13, "customer_id", "bad encoding"),
    }
    assert site.query("select order_id, _source_line, currency from incoming.orders order by 2") == [
        ("o1", 2, "two\nlines"),
        ("o6", 8, "placed"),
    ]
    assert report.counts("orders") == report.counts("orders").__class__("orders", 1, 10, 2, 8)
    assert site.query("select * from incoming._files where entity = 'orders'")[0][4:] == (10, 2, 8)


def test_quarantine_keeps_the_offending_value(site: Site) -> None:
    site.write(ORDERS, ORDERS_HEADER + "o1,c1,2024-02-01,12;50,placed\n")
    site.stage()
    assert site.query("select value from incoming._quarantine") == [("12;50",)]


def test_a_broken_first_occurrence_does_not_make_the_good_one_a_duplicate(site: Site) -> None:
    site.write(ORDERS, ORDERS_HEADER + "o1,c1,2024-02-01,oops,placed\no1,c1,2024-02-01,3,placed\n")
    site.stage()
    assert site.quarantine() == {(ORDERS, 2, "amount", "wrong type")}
    assert site.query("select order_id, _source_line from incoming.orders") == [("o1", 3)]


def test_the_same_key_in_two_files_is_no_duplicate(site: Site) -> None:
    site.write("orders/date=2024-02-01/a.csv", ORDERS_HEADER + "o1,c1,2024-02-01,3,placed\n")
    site.write("orders/date=2024-02-02/b.csv", ORDERS_HEADER + "o1,c1,2024-02-01,3,shipped\n")
    site.stage()
    assert site.query("select count(*) from incoming.orders") == [(2,)]


@pytest.mark.parametrize(
    ("rel", "content", "expected"),
    [
        (
            "order_lines.csv",
            "order_line_id,order_id,product_id,quantity,unit_price\n"
            "l1,o1,p1,1.5,2\nl2,o1,p1,-1,2\nl3,o1,p1,2.0,2\nl3,o1,p1,1,2\n",
            {
                (2, "quantity", "wrong type"),
                (3, "quantity", "negative value"),
                (5, "order_line_id", "duplicate key in file"),
            },
        ),
        (
            "marketing_spend/all.csv",
            "month,channel,spend\n2024-01-01,seo,-5\n2024-04-01,seo,5\n2024-01-01,ads,1\n"
            "2024-01-01,ads,2\n2024-02-31,ads,1\n",
            {
                (2, "spend", "negative value"),
                (3, "month", "future date"),
                (5, "month,channel", "duplicate key in file"),
                (6, "month", "wrong type"),
            },
        ),
        (
            "customers.csv",
            "customer_id,birthday,marketing_consent,signed_up_at\n"
            "c1,2090-01-01, yes ,2024-01-01\nc2,,maybe,2024-01-01\nc3,,,2025-01-01\n",
            {
                (2, "birthday", "future date"),
                # an unreadable consent flag reads as "no" (never lost to quarantine): c2 loads
                (4, "signed_up_at", "future date"),
            },
        ),
        (
            "returns.csv",
            "return_id,order_id,returned_at,refund_amount,quantity\nr1,o1,2024-01-01,-3,1\nr2,o1,,3,-1\n",
            {
                (2, "refund_amount", "negative value"),
                (3, "returned_at", "missing required value"),
                (3, "quantity", "negative value"),
            },
        ),
        (
            "support_tickets.csv",
            "ticket_id,customer_id,opened_at,handling_minutes\nt1,c1,2024-01-01,-4\nt2,c1,2024-01-01,  \n",
            {(2, "handling_minutes", "negative value")},
        ),
    ],
)
def test_rules_of_the_other_entities(
    site: Site, rel: str, content: str, expected: set[tuple[int, str, str]]
) -> None:
    site.write(rel, content)
    report = site.stage()
    assert {(line, column, reason) for _, line, column, reason in site.quarantine()} == expected
    (counts,) = report.entities
    assert counts.rows_in == content.count("\n") - 1
    assert counts.rows_loaded == counts.rows_in - len({line for line, _, _ in expected})


def test_orphans_are_checked_against_committed_and_staged_customers(site: Site) -> None:
    site.write("customers/day1.csv", "customer_id\nc1\n")
    site.load("r1")
    site.write("customers/day2.csv", "customer_id\nc2\n")
    site.write(
        "email_events.csv",
        "event_id,customer_id,event_type,occurred_at\ne1,c1,send,2024-01-01\n"
        "e2,c2,open,2024-01-01\ne3,c3,open,2024-01-01\n",
    )
    site.stage("r2")
    assert site.quarantine() == {("email_events.csv", 4, "customer_id", "orphan customer_id")}


def test_an_orders_only_landing_loads_without_orphan_check(site: Site) -> None:
    site.write(ORDERS, ORDERS_HEADER + "o1,nobody,2024-02-01,3,placed\n")
    report = site.stage()
    assert (report.rows_in, report.rows_loaded, report.rows_quarantined) == (1, 1, 0)


def test_values_are_typed_and_offsets_converted_to_utc(site: Site) -> None:
    site.write(
        "orders.csv",
        "order_id,customer_id,ordered_at,amount,delivered_at\n"
        "o1,c1,2024-02-01 10:00:00+02:00,1e1,2024-02-03T08:30:00Z\n"
        "o2,c1, 2024-02-01 ,  7.25 ,\n",
    )
    site.stage()
    assert site.query(
        "select order_id, ordered_at, amount, delivered_at, status from incoming.orders order by 1"
    ) == [
        ("o1", datetime(2024, 2, 1, 8), Decimal("10.00"), datetime(2024, 2, 3, 8, 30), None),
        ("o2", datetime(2024, 2, 1), Decimal("7.25"), None, None),
    ]


def test_line_numbers_count_physical_lines_in_crlf_files(site: Site) -> None:
    site.write(
        "orders.csv",
        b"order_id,customer_id,ordered_at,amount,currency\r\n"
        b'o1,c1,2024-02-01,1,"a\r\nb"\r\n\r\n'
        b"o2,c1,2024-02-01,1,x,y\r\n"
        b"o3,c1,2024-02-01,1,placed\r\n",
    )
    report = site.stage()
    assert site.query("select order_id, _source_line from incoming.orders order by 1") == [
        ("o1", 2),
        ("o3", 6),
    ]
    assert site.quarantine() == {("orders.csv", 5, None, "unparseable row")}
    assert report.approximate_lines == ()


def test_an_unterminated_quote_swallows_the_rest_of_the_file_as_one_bad_row(site: Site) -> None:
    site.write("orders.csv", ORDERS_HEADER + 'o1,c1,2024-02-01,1,placed\no2,c1,2024-02-01,1,"open\no3,c1\n')
    report = site.stage()
    assert site.quarantine() == {("orders.csv", 3, "status", "unparseable row")}
    assert (report.rows_in, report.rows_loaded) == (2, 1)


def test_a_stray_quote_at_a_field_edge_falls_back_to_record_numbers(site: Site) -> None:
    site.write("orders.csv", ORDERS_HEADER + 'o1,c27",2024-02-01,1,placed\no2,c1,2024-02-01,1,placed\n')
    report = site.stage()
    assert report.approximate_lines == ("orders.csv",)
    assert site.query("select order_id, _source_line from incoming.orders order by 1") == [
        ("o1", 2),
        ("o2", 3),
    ]
    assert any("record numbers" in line for line in report.lines())


def test_missing_optional_columns_are_null_and_extra_columns_reported(site: Site) -> None:
    site.write("orders.csv", "AMOUNT,order_id,note,customer_id,ordered_at\n3,o1,hi,c1,2024-02-01\n")
    report = site.stage()
    assert site.query("select order_id, amount, status, currency from incoming.orders") == [
        ("o1", Decimal("3.00"), None, None)
    ]
    assert report.extra_columns == (("orders.csv", "note"),)


def test_parquet_is_read_natively_with_row_numbers(site: Site) -> None:
    path = site.landing / "orders" / "o.parquet"
    path.parent.mkdir()
    duckdb.sql(
        "copy (select * from (values ('o1', 'c1', timestamptz '2024-02-01 10:00:00+02', 3.5, 1),"
        " ('o2', 'c1', timestamptz '2024-02-01 10:00:00+00', -1.0, 2))"
        " t(order_id, customer_id, ordered_at, amount, extra)) to '" + str(path) + "'"
    )
    report = site.stage()
    assert site.query("select order_id, ordered_at, amount, _source_line from incoming.orders") == [
        ("o1", datetime(2024, 2, 1, 8), Decimal("3.50"), 1)
    ]
    assert site.quarantine() == {("orders/o.parquet", 2, "amount", "negative value")}
    assert report.extra_columns == (("orders/o.parquet", "extra"),)


@pytest.mark.parametrize(
    ("content", "rule"),
    [
        (b"order_id,customer_id,ordered_at\no1,c1,2024-02-01\n", "missing required column 'amount'"),
        (b"order_id,customer_id\no1,c1\n", "missing required columns 'ordered_at', 'amount'"),
        (b"", "empty file (no header)"),
        (b"\n\n", "empty file (no header)"),
        (b"order_id,customer_\xffid\n", "unreadable file (header is not UTF-8)"),
    ],
)
def test_batch_rules_reject_the_whole_batch(site: Site, content: bytes, rule: str) -> None:
    site.write("orders/date=2024-02-01/good.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,placed\n")
    site.stage()  # a batch staged earlier must not survive a rejected one
    site.write("orders/date=2024-02-02/bad.csv", content)
    with pytest.raises(BatchRejected) as caught:
        site.stage()
    assert str(caught.value).startswith(f"orders/date=2024-02-02/bad.csv: {rule}")
    assert caught.value.source_file == "orders/date=2024-02-02/bad.csv"
    assert not has_schema(site.warehouse, "incoming")


def test_an_unreadable_parquet_file_rejects_the_batch(site: Site) -> None:
    site.write("orders/broken.parquet", b"PAR1 this is not parquet")
    with pytest.raises(BatchRejected, match=r"^orders/broken.parquet: unreadable file"):
        site.stage()


def test_stage_report_lines_summarise_the_batch(site: Site) -> None:
    site.write("orders.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,x,extra\n")
    site.write("stuff/readme.csv", "x\n")
    lines = site.stage("r9", date(2024, 3, 1)).lines()
    assert lines[0] == (
        "1 new file(s), 0 unchanged: 1 rows in, 0 staged, 1 quarantined (run r9, as of 2024-03-01)"
    )
    assert "  orders: 1 file(s), 1 rows in, 0 loaded, 1 quarantined" in lines
    assert "  ignored (not landing data): stuff/" in lines
