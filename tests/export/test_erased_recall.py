"""erased.recall: everyone one of whose keys was remembered as erased, by all their keys.

The people, their keys and the remembered keys vary (Hypothesis); the expected answer is
computed here with Python's own hmac, independently of the SQL (which hashes each key once
and matches by equality joins, one per kind of key)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.export.audience import Blocklist
from pipelines.export.erased import recall, remember, remember_tokens
from pipelines.settings import get_settings

KEY = "erasure key from the secret store"
IDS = ["c0001", "c0002", "c0003", "src-c0001", "SHOP-17", "c0004"]
EMAILS = [
    "anne-marie.obrien@example.in",
    "yuiwatanabe@gmail.com",
    "priya.sharma@example.co.in",
    "राज@example.in",
]
PHONES = ["+919876543210", "+14155550123", "+447700900123"]
PEOPLE_SQL = "select customer_id, any_id, email_key, phone_key from _people"

person = st.fixed_dictionaries(
    {
        "customer_id": st.sampled_from(IDS[:4]),
        "any_id": st.sampled_from(IDS),
        "email_key": st.none() | st.sampled_from(EMAILS),
        "phone_key": st.none() | st.sampled_from(PHONES),
    }
)
erased_keys = st.builds(
    Blocklist,
    st.frozensets(st.sampled_from(IDS)),
    st.frozensets(st.sampled_from(EMAILS)),
    st.frozensets(st.sampled_from(PHONES)),
)


@pytest.fixture(autouse=True)
def _erasure_key(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RAPPORT_ERASURE_KEY", KEY)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _digest(value: str) -> str:
    return hmac.new(KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _expected(people: list[dict[str, str | None]], erased: Blocklist) -> Blocklist:
    ids = {_digest(v) for v in erased.customer_ids}
    emails, phones = {_digest(v) for v in erased.emails}, {_digest(v) for v in erased.phones}

    def hit(p: dict[str, str | None]) -> bool:
        pairs = [
            (p["customer_id"], ids),
            (p["any_id"], ids),
            (p["email_key"], emails),
            (p["phone_key"], phones),
        ]
        return any(value is not None and _digest(value) in digests for value, digests in pairs)

    found = [p for p in people if hit(p)]
    return Blocklist(
        *(
            frozenset(str(p[k]) for p in found if p[k] is not None)
            for k in ("customer_id", "email_key", "phone_key")
        )
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(person, max_size=8),
    erased=erased_keys,
    tokens=st.frozensets(st.sampled_from([*IDS, *EMAILS, *PHONES])),
)
def test_recall_finds_exactly_the_people_a_remembered_key_names(
    people: list[dict[str, str | None]], erased: Blocklist, tokens: frozenset[str]
) -> None:
    con = duckdb.connect()
    try:
        con.execute("create schema exports")
        remember(con, erased)
        remember_tokens(con, tokens)  # file-cell forms, never a match key: they recall nobody
        frame = pl.DataFrame(
            people, schema={k: pl.String for k in ("customer_id", "any_id", "email_key", "phone_key")}
        )
        con.register("_people", frame.to_arrow())
        assert recall(con, PEOPLE_SQL) == _expected(people, erased)
    finally:
        con.close()


def test_a_person_is_recalled_by_every_key_when_one_of_them_was_erased() -> None:
    people = [
        # erased by a source account id: recalled with their canonical id, email and phone
        {"customer_id": "c0001", "any_id": "src-c0001", "email_key": EMAILS[0], "phone_key": PHONES[0]},
        # erased by phone only (no email on file)
        {"customer_id": "c0002", "any_id": "c0002", "email_key": None, "phone_key": PHONES[1]},
        # nobody erased them; the remembered token form of their email is no match key
        {"customer_id": "c0003", "any_id": "c0003", "email_key": EMAILS[2], "phone_key": None},
    ]
    con = duckdb.connect()
    try:
        con.execute("create schema exports")
        remember(con, Blocklist(frozenset({"src-c0001"}), frozenset(), frozenset({PHONES[1]})))
        remember_tokens(con, frozenset({EMAILS[2]}))
        con.register("_people", pl.DataFrame(people).to_arrow())
        got = recall(con, PEOPLE_SQL)
    finally:
        con.close()
    assert got == Blocklist(
        frozenset({"c0001", "c0002"}), frozenset({EMAILS[0]}), frozenset({PHONES[0], PHONES[1]})
    )
