"""An erased person's phone written nationally is theirs: it is erased by its E.164, as the export reads it.

Many shops write phones nationally, with the account's country: "07700 900123" (GB), "098765 43210"
or "98765-43211" (IN). The export keys every phone by its E.164 (int_phone_numbers, phonenumbers'
numbering plan), so it already kept these people out; int_customers_erased keyed phones only as
written with +/00, so the marts and serving kept them (1M benchmark shop: 4,351 people; DECISIONLOG
"issue 16e2" and i21erase). Day 1: a request names Gita only by the E.164 of her national number
(G1); a request names Ravi by id (R2), and Hari (H1) writes Ravi's number nationally (one hop).
Forget remembers the named people's phones by E.164. Day 2: Nina (N1) opens an account with Ravi's
number written nationally: nothing names her but the remembered phone key. Kiran (K1) writes a
national number nobody named and stays. Vani (V1, +91) and Uma (U1, +44) are named by requests written
nationally ("98765 43230", "07700 900124"): a request has no country, so its digits are read as a national
number in every country (int_erasure_requests). Failed before: G1, H1 on day 1 and N1 on day 2 in the
marts (stop 24); V1 and U1 (stop 25).
"""

from __future__ import annotations

import pytest
from rapport_dbt import built, customer_row, erasure_case, insert_rows, order_row

from pipelines.erasure_key import install_hmac
from pipelines.settings import get_settings
from pipelines.warehouse import connect

DAY1, DAY2 = "2024-07-01", "2024-07-02"
KEY = "test erasure key for national numbers"
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def _customer(cid: str, email: str, phone: str, country: str, day: str = "2023-01-10") -> dict:
    row = customer_row(cid, email, phone) | {"country": country}
    if day != "2023-01-10":
        at = f"{day} 10:00:00"
        row |= {"signed_up_at": at, "updated_at": at, "_source_file": f"customers/date={day}/{cid}.csv"}
    return row


def _request(customer_id: str | None = None, phone: str | None = None) -> dict:
    return {"email": None, "customer_id": customer_id, "phone": phone, "requested_at": "2024-06-30",
            "_source_file": "erasures/date=2024-06-30/0.csv"}  # fmt: skip


CUSTOMERS = [
    _customer("G1", "gita@example.com", "07700 900123", "GB"),  # named by +44 7700 900123 only
    _customer("R2", "ravi@example.com", "+91 98765 43211", "IN"),  # named by id
    _customer("H1", "hari@example.com", "98765-43211", "IN"),  # Ravi's number, written nationally
    _customer("K1", "kiran@example.com", "098765 43219", "IN"),  # nobody's
    _customer("V1", "vani@example.com", "+91 98765 43230", "IN"),  # named by "98765 43230": no country
    _customer("U1", "uma@example.com", "+44 7700 900124", "GB"),  # named by "07700 900124": no country
]
DAY1_ROWS = {
    "customers": CUSTOMERS,
    "orders": [
        order_row(f"O{n}", c["customer_id"], "2024-03-01 12:00:00") for n, c in enumerate(CUSTOMERS, 1)
    ],
    "erasures": [
        _request(phone="+44 7700 900123"),
        _request(customer_id="R2"),
        _request(phone="98765 43230"),
        _request(phone="07700 900124"),
    ],
}
NINA = _customer("N1", "nina@example.com", "098765 43211", "IN", "2024-07-01")  # Ravi's number again
DAY2_ROWS = {"customers": [NINA], "orders": [order_row("O11", "N1", "2024-07-01 09:00:00")]}
ERASED = (
    "select source_customer_id, named_by_request, phone_key from intermediate.int_customers_erased order by 1"
)


@pytest.fixture(scope="module")
def days(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("erasure_national_phone")
    got: dict[str, object] = {}
    with erasure_case(home, KEY, DAY1_ROWS) as warehouse:
        day1 = built(home, warehouse, DAY1, *NO_TESTS)
        got["day1_erased"] = day1.query(ERASED)
        got["day1_people"] = {c for (c,) in day1.query("select customer_id from marts.customers")}
        from pipelines.forget import forget_erased

        forget_erased(get_settings(), "day1")
        with connect(warehouse) as con:
            install_hmac(con)
            remembered = set(con.execute("select kind, digest from exports.erased").fetchall())
            phones = ("+447700900123", "+919876543211")
            got["phones_remembered"] = {
                p
                for p in phones
                if ("phone", con.execute("select rapport_hmac(?)", [p]).fetchone()[0]) in remembered
            }
            got["phone_cache"] = con.execute(
                "select phone from intermediate.int_phone_numbers order by 1"
            ).fetchall()
            insert_rows(con, DAY2_ROWS)
        day2 = built(home, warehouse, DAY2, *NO_TESTS)
        got["day2_erased"] = day2.query(ERASED)
        got["day2_people"] = {c for (c,) in day2.query("select customer_id from marts.customers")}
        got["cells"] = day2.text_cells()
    return got


def test_a_national_number_is_erased_by_its_e164_on_the_request_day(days: dict) -> None:
    assert days["day1_erased"] == [
        ("G1", True, "+447700900123"),  # on main not listed: the request's +44 form never met 07700 900123
        ("H1", False, "+919876543211"),  # one hop through Ravi's number, written nationally
        ("R2", True, "+919876543211"),
        ("U1", True, "+447700900124"),  # a request's national number, read in every country
        ("V1", True, "+919876543230"),
    ]
    assert days["day1_people"] == {"K1"}


def test_forget_remembers_the_named_phones_by_e164_and_leaves_no_cached_pair(days: dict) -> None:
    assert days["phones_remembered"] == {"+447700900123", "+919876543211"}
    assert days["phone_cache"] == [("098765 43219",)]  # Kiran's; the erased pairs went with forget


def test_a_new_account_with_a_remembered_number_written_nationally_stays_out(days: dict) -> None:
    assert ("N1", False, "+919876543211") in days["day2_erased"]
    assert days["day2_people"] == {"K1"}
    gone = (
        "gita",
        "ravi",
        "hari",
        "nina",
        "vani",
        "uma@",
        "900123",
        "9876543211",
        "98765 43211",
        "98765-43211",
    )
    assert not [cell for cell in days["cells"] if any(g in cell[2].lower() for g in gone)]
