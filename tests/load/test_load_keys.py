"""Key rules: duplicates across files for events, and which customers count as known."""

from __future__ import annotations

from pipelines.export.audience import Blocklist
from pipelines.export.erased import remember
from pipelines.warehouse import connect
from tests.load.support import ORDERS_HEADER, Site

EVENTS = "event_id,customer_id,event_type,occurred_at\n"


def test_a_quarantined_customer_is_no_orphan_so_its_orders_still_load(site: Site) -> None:
    site.write(
        "customers/c.csv",
        b"customer_id,birthday,email\nc1,2090-01-01,a@x.org\n" + b'"c"2,,b@x.org\nc3,,j\xe9r@x.org\n',
    )
    site.write("orders/o.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,placed\no2,c2,2024-02-01,1,placed\n"
               "o3,c3,2024-02-01,1,placed\no4,c9,2024-02-01,1,placed\n")  # fmt: skip
    site.stage()
    assert site.quarantine() == {
        ("customers/c.csv", 2, "birthday", "future date"),
        ("customers/c.csv", 3, "customer_id", "unparseable row"),
        ("customers/c.csv", 4, "email", "bad encoding"),
        ("orders/o.csv", 5, "customer_id", "orphan customer_id"),
    }
    assert site.query("select order_id from incoming.orders order by 1") == [("o1",), ("o2",), ("o3",)]


def test_an_event_delivered_in_two_files_loads_once(site: Site) -> None:
    site.write("customers.csv", "customer_id\nc1\n")
    site.write("email_events/date=2024-02-01/e.csv", EVENTS + "e1,c1,send,2024-02-01\n")
    site.write(
        "email_events/date=2024-02-02/e.csv", EVENTS + "e1,c1,send,2024-02-01\ne2,c1,open,2024-02-02\n"
    )
    site.load("r1")
    assert site.quarantine("raw") == {
        ("email_events/date=2024-02-02/e.csv", 2, "event_id", "duplicate key across files")
    }
    site.write("email_events/date=2024-02-03/e.csv", EVENTS + "e2,c1,open,2024-02-02\n")
    site.load("r2")  # against what an earlier run committed, too
    assert (
        "email_events/date=2024-02-03/e.csv",
        2,
        "event_id",
        "duplicate key across files",
    ) in site.quarantine("raw")
    assert site.query("select event_id, count(*) from raw.email_events group by 1 order by 1") == [
        ("e1", 1),
        ("e2", 1),
    ]


def test_a_changed_file_is_no_duplicate_of_its_own_earlier_version(site: Site) -> None:
    site.write("customers.csv", "customer_id\nc1\n")
    site.write("email_events/e.csv", EVENTS + "e1,c1,send,2024-02-01\n")
    site.load("r1")
    site.write("email_events/e.csv", EVENTS + "e1,c1,send,2024-02-01\ne2,c1,open,2024-02-01\n")
    _, loaded = site.load("r2")
    assert (loaded.rows_loaded, loaded.rows_quarantined) == (2, 0)
    assert site.query("select count(*) from raw.email_events") == [(2,)]


def test_restated_orders_are_not_duplicates_across_files(site: Site) -> None:
    site.write("orders/date=2024-02-01/o.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,placed\n")
    site.write("orders/date=2024-02-03/o.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,delivered\n")
    _, loaded = site.load()
    assert (loaded.rows_loaded, loaded.rows_quarantined) == (2, 0)


def test_a_later_status_change_does_not_quarantine_the_order(site: Site) -> None:
    """An export may restate an order with its latest change; only the event time must be past."""
    site.write(
        "orders/o.csv",
        "order_id,customer_id,ordered_at,amount,status,updated_at,delivered_at\n"
        "o1,c1,2024-02-01,1,delivered,2024-03-20,2024-03-19\n"
        "o2,c1,2024-03-20,1,placed,2024-03-20,\n",
    )
    site.stage()
    assert site.quarantine() == {("orders/o.csv", 3, "ordered_at", "future date")}
    assert site.query("select order_id from incoming.orders") == [("o1",)]


def test_an_order_under_an_id_remembered_as_erased_loads_and_an_unknown_one_is_an_orphan(site: Site) -> None:
    """Forget deleted c1's customers row and remembered c1 (a keyed hash): c1's later order is
    theirs, to be anonymised by dbt with its money kept, not an orphan; c9 was never anyone's."""
    site.write("customers.csv", "customer_id\nc1\nc2\n")
    site.load("r1")
    with connect(site.warehouse) as con:
        con.execute("delete from raw.customers where customer_id = 'c1'; create schema exports")
        remember(con, Blocklist(customer_ids=frozenset({"c1"})))
    site.write("orders/o.csv", ORDERS_HEADER + "o1,c1,2024-02-01,1,placed\no2,c2,2024-02-01,1,placed\n"
               "o3,c9,2024-02-01,1,placed\n")  # fmt: skip
    site.stage("r2")
    assert site.quarantine() == {("orders/o.csv", 4, "customer_id", "orphan customer_id")}
    assert site.query("select order_id from incoming.orders order by 1") == [("o1",), ("o2",)]
