"""Users' own export files: hand-written shapes of real exports, loaded to the paisa or refused.

The files below are written the way Shopify, WooCommerce, an Indian POS and a payment gateway
export orders (their headers, delimiters, date and amount formats); totals are summed by hand.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.load import BatchRejected, stage_landing
from pipelines.load.config import LandingConfig, LandingConfigError, load_landing_config
from tests.load.support import AS_OF, Site

AS_OF_2026 = AS_OF.replace(year=2026, month=7)


def _config(tmp_path: Path, text: str) -> LandingConfig:
    path = tmp_path / "landing.yml"
    path.write_text(text)
    return load_landing_config(path)


def _stage(site: Site, config: LandingConfig | None = None, as_of=AS_OF_2026, share: float = 0.01):
    return stage_landing(site.landing, site.warehouse, as_of, "r1", config=config, max_lost_share=share)


def _orders(site: Site) -> tuple[int, Decimal]:
    ((n, total),) = site.query("select count(*), sum(amount) from incoming.orders")
    return n, total


SHOPIFY = (
    "Name,Email,Financial Status,Paid at,Currency,Subtotal,Shipping,Taxes,Total,Created at\n"
    "#1001,asha@example.com,paid,2026-06-18 14:05:11 +0530,INR,3200.00,99.00,144.07,3443.07,"
    "2026-06-18 14:05:11 +0530\n"
    "#1002,ravi@example.com,paid,2026-06-19 09:00:00 +0530,INR,100000.00,0.00,0.00,100000.00,"
    "2026-06-19 09:00:00 +0530\n"
    '#1003,"meena@example.com",refunded,,INR,10.50,0,0,10.50,2026-06-20 23:59:59 +0530\n'
)
SHOPIFY_CONFIG = """
entities:
  orders:
    files: "orders_export_*.csv"
    columns: {Name: order_id, Email: customer_id, Total: amount, Created at: ordered_at}
    currency: INR
"""


def test_shopify_export_with_a_config(site: Site, tmp_path: Path) -> None:
    site.write("orders_export_1.csv", SHOPIFY)
    report = _stage(site, _config(tmp_path, SHOPIFY_CONFIG))
    assert _orders(site) == (3, Decimal("103453.57"))
    assert report.rows_quarantined == 0
    # the offset is honoured: 14:05 in India is 08:35 UTC
    assert site.query("select ordered_at from incoming.orders where order_id = '#1001'") == [
        (datetime(2026, 6, 18, 8, 35, 11),)
    ]


WOOCOMMERCE = (
    '"Order ID","Order Date","Order Status","Customer User ID","Order Total Amount"\n'
    '"5001","2026-06-01 10:15","wc-completed","17","$1,234.50"\n'
    '"5002","2026-06-02 11:00","wc-completed","18","$12,345.99"\n'
    '"5003","2026-06-03 12:30","wc-processing","17","$0.01"\n'
    '"5004","2026-06-04 08:00","wc-completed","19","$99.00"\n'
)


def test_woocommerce_export_dollars_and_grouping_detected(site: Site, tmp_path: Path) -> None:
    site.write("orders/woo.csv", WOOCOMMERCE)
    config = _config(
        tmp_path,
        "entities:\n  orders:\n    columns:\n      Order ID: order_id\n      Order Date: ordered_at\n"
        "      Customer User ID: customer_id\n      Order Total Amount: amount\n",
    )
    report = _stage(site, config)
    assert _orders(site) == (4, Decimal("13679.50"))
    assert any("amount read as decimal '.'" in d for d in report.detected)
    assert ("orders/woo.csv", "Order Status") in report.extra_columns


# An Indian POS: BOM, CRLF, ';', day-first dates, rupee amounts in Indian grouping, no config
# beyond naming the columns.
POS = (
    "\ufeffBill No;Customer Code;Bill Date;Net Amount\r\n"
    "B-0001;CUST-9;18/06/2026 14:05;₹3,443.07\r\n"
    'B-0002;CUST-7;01/06/2026 09:30;"Rs. 1,00,000.00"\r\n'
    "B-0003;CUST-9;05/05/2026 18:00;₹ 99.50\r\n"
    "B-0004;CUST-8;30/04/2026 11:11;INR 34,567.8\r\n"
)
POS_CONFIG = """
entities:
  orders:
    columns: {Bill No: order_id, Customer Code: customer_id, Bill Date: ordered_at, Net Amount: amount}
"""


def test_indian_pos_export_is_read_from_the_data(site: Site, tmp_path: Path) -> None:
    site.write("orders/pos.csv", POS.encode("utf-8"))
    report = _stage(site, _config(tmp_path, POS_CONFIG))
    assert _orders(site) == (4, Decimal("138110.37"))
    assert site.query("select order_id, ordered_at from incoming.orders order by 1")[0] == (
        "B-0001",
        datetime(2026, 6, 18, 14, 5),
    )
    assert report.rows_quarantined == 0


GATEWAY = (
    "Payment Id,Customer Id,Amount (INR),Created On,Payment Status\n"
    "pay_A1,cust_1,3443.07,18-Jun-2026 02:21 PM,captured\n"
    "pay_A2,cust_2,500,01-Jan-2026 12:00 AM,captured\n"
    "pay_A3,cust_1,1.5,09-Feb-2026 11:59 PM,captured\n"
)
GATEWAY_CONFIG = """
entities:
  orders:
    files: "payments*.csv"
    columns: {Payment Id: order_id, Customer Id: customer_id, Amount (INR): amount, Created On: ordered_at}
    date_formats: ["%d-%b-%Y %I:%M %p"]
    timezone: Asia/Kolkata
    currency: INR
"""


def test_payment_gateway_export_in_local_time(site: Site, tmp_path: Path) -> None:
    site.write("payments_june.csv", GATEWAY)
    _stage(site, _config(tmp_path, GATEWAY_CONFIG))
    assert _orders(site) == (3, Decimal("3944.57"))
    got = dict(site.query("select order_id, ordered_at from incoming.orders"))
    assert got["pay_A1"] == datetime(2026, 6, 18, 8, 51)  # 14:21 IST
    assert got["pay_A2"] == datetime(2025, 12, 31, 18, 30)  # midnight IST is the day before in UTC


def test_thousands_in_quotes_load_exactly_without_a_config(site: Site) -> None:
    """The issue's case: a comma CSV with "3,443.07": every order of 1,000 or more used to be lost."""
    rows = "".join(f'o{i},c{i % 7},2026-06-{i % 28 + 1:02d},"{i * 37}.{i % 100:02d}"\n' for i in range(1, 61))
    rows += 'o99,c1,2026-06-02,"3,443.07"\no98,c2,2026-06-03,"1,00,000.00"\n'
    site.write("orders/shop.csv", "order_id,customer_id,ordered_at,amount\n" + rows)
    _stage(site)
    expected = sum(Decimal(f"{i * 37}.{i % 100:02d}") for i in range(1, 61)) + Decimal("103443.07")
    assert _orders(site) == (62, expected)


def test_dates_that_cannot_decide_are_refused_naming_the_key(site: Site, tmp_path: Path) -> None:
    site.write(
        "orders/a.csv", "order_id,customer_id,ordered_at,amount\no1,c1,01/02/2026,5\no2,c1,03/04/2026,5\n"
    )
    with pytest.raises(BatchRejected, match=r"entities\.orders\.date_formats"):
        _stage(site)
    _stage(site, _config(tmp_path, "entities:\n  orders:\n    date_formats: ['%m/%d/%Y']\n"))
    assert site.query("select min(ordered_at)::date::varchar from incoming.orders") == [("2026-01-02",)]


def test_amounts_that_cannot_decide_are_refused_naming_the_key(site: Site, tmp_path: Path) -> None:
    site.write(
        "orders/a.csv",
        'order_id,customer_id,ordered_at,amount\no1,c1,2026-01-02,"1,234"\no2,c1,2026-01-03,"2,500"\n',
    )
    with pytest.raises(BatchRejected, match=r"entities\.orders\.decimal_separator"):
        _stage(site)
    config = "entities:\n  orders:\n    decimal_separator: ','\n    thousands_separator: '.'\n"
    _stage(site, _config(tmp_path, config))
    assert _orders(site) == (2, Decimal("3.73"))


def test_value_loss_guard_fails_naming_the_column(site: Site, tmp_path: Path) -> None:
    """A wrong config (decimal comma) sends the "3,443.07" orders to quarantine: the run fails."""
    rows = "".join(f'o{i},c1,2026-06-0{i},"{i},443.07"\n' for i in range(1, 8))
    rows += "".join(f"o1{i},c1,2026-06-09,12\n" for i in range(20))
    site.write("orders/shop.csv", "order_id,customer_id,ordered_at,amount\n" + rows)
    config = _config(tmp_path, "entities:\n  orders:\n    decimal_separator: ','\n")
    with pytest.raises(BatchRejected) as caught:
        _stage(site, config)
    message = str(caught.value)
    assert message.startswith("orders/shop.csv: quarantine would drop")
    assert "'amount'" in message and "e.g. '" in message and "entities.orders.decimal_separator" in message
    # the same batch with the guard off: every row is loaded or quarantined, none lost silently
    report = _stage(site, config, share=1.0)
    assert (report.rows_in, report.rows_loaded, report.rows_quarantined) == (27, 20, 7)


def test_a_few_bad_amounts_under_the_share_still_load_the_rest(site: Site) -> None:
    rows = "".join(f"o{i},c1,2026-06-01,1000.00\n" for i in range(200)) + "o999,c1,2026-06-01,abc\n"
    site.write("orders/shop.csv", "order_id,customer_id,ordered_at,amount\n" + rows)
    report = _stage(site)
    assert (report.rows_loaded, report.rows_quarantined) == (200, 1)


def test_landing_config_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "landing.yml"
    path.write_text("entities:\n  orders:\n    delimiter: ';'\n    decimal_separator: 'x'\n")
    with pytest.raises(LandingConfigError, match=r"landing\.yml:4: entities\.orders\.decimal_separator"):
        load_landing_config(path)
    path.write_text("entities:\n  orders:\n    timezone: Mars/Olympus\n")
    with pytest.raises(LandingConfigError, match=r"landing\.yml:3: .*unknown time zone"):
        load_landing_config(path)
    assert load_landing_config(tmp_path / "absent.yml") == LandingConfig()
