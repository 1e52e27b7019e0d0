from __future__ import annotations

import hashlib

import polars as pl
import pytest

from pipelines.export.destinations import google_ads, meta_ads


def h(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


ROW = {
    "customer_id": "c1",
    "email": "  Jane.Q.Doe+news@GoogleMail.com ",
    "first_name": " Zoë-Anne ",
    "last_name": "O'Brien",
    "phone_e164": "+4915112345678",
    "country": "de",
}


def test_google_customer_match_normalises_as_google_documents() -> None:
    out = google_ads.render(pl.DataFrame([ROW]), None, "champions").row(0, named=True)
    assert out == {
        "customer_id": "c1",
        # trimmed, lower-cased, dots and +tag of a gmail/googlemail local part removed
        "Email": h("janeqdoe@googlemail.com"),
        "Phone": h("+4915112345678"),  # E.164 with '+'
        "First Name": h("zoëanne"),  # lower case, no punctuation
        "Last Name": h("obrien"),
        "Country": "DE",  # not hashed
        "Zip": None,  # not hashed; none known
    }


def test_dots_stay_in_non_gmail_addresses_for_google() -> None:
    row = {**ROW, "email": "Jane.Doe@Example.com"}
    assert google_ads.render(pl.DataFrame([row]), None, "x")["Email"][0] == h("jane.doe@example.com")


def test_meta_normalises_as_meta_documents() -> None:
    out = meta_ads.render(pl.DataFrame([ROW]), None, "champions").row(0, named=True)
    assert out == {
        "customer_id": "c1",
        "email": h("jane.q.doe+news@googlemail.com"),  # Meta keeps the dots
        "phone": h("4915112345678"),  # digits only, country code, no '+'
        "fn": h("zoëanne"),  # lower-case, punctuation removed, accents kept (UTF-8)
        "ln": h("obrien"),
        "country": h("de"),
    }


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_a_missing_identifier_stays_empty_rather_than_hashing_nothing(blank: str | None) -> None:
    row = {**ROW, "email": blank, "first_name": blank, "phone_e164": None}
    for render in (google_ads.render, meta_ads.render):
        out = render(pl.DataFrame([row], schema=dict.fromkeys(ROW, pl.String)), None, "x")
        assert out.row(0)[1] is None and h("") not in out.row(0)
