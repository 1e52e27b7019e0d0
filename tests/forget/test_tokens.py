"""erased_tokens finds an erased account's phone in the phone cache by either of its ids."""

from __future__ import annotations

import hashlib

import duckdb

from pipelines.forget.tokens import erased_tokens


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_national_number_is_found_in_the_phone_cache_by_the_source_or_the_canonical_id() -> None:
    con = duckdb.connect()
    con.execute(
        "create schema raw; create schema intermediate;"
        " create table raw.customers (customer_id varchar, email varchar, first_name varchar,"
        "  last_name varchar, phone varchar);"
        " insert into raw.customers values (' S1 ', 'a@example.in', 'Asha', 'Rao', '098765 43210'),"
        "  ('S2', 'b@example.in', 'Bala', 'Iyer', '09812 345678'),"
        "  ('S9', 'z@example.in', 'Zoya', 'Khan', '09000 000001');"
        " create table intermediate.int_customers_erased (source_customer_id varchar,"
        "  customer_id varchar, email_key varchar, phone_key varchar);"
        # S1's number is cached under its canonical id, S2's under its source id; S9 is not erased
        " insert into intermediate.int_customers_erased values ('S1', 'C1', 'a@example.in', null),"
        "  ('S2', 'C2', 'b@example.in', null);"
        " create table intermediate.int_customer_phones (customer_id varchar, phone_e164 varchar);"
        " insert into intermediate.int_customer_phones values ('C1', '+919876543210'),"
        "  ('S2', '+919812345678'), ('S9', '+919000000001'), ('C9', '+919000000001');"
    )
    tokens = erased_tokens(con)
    assert tokens.ids == {"S1", "C1", "S2", "C2"}
    for e164 in ("+919876543210", "+919812345678"):
        assert {e164, e164[1:]} <= tokens.texts
        assert {sha(e164), sha(e164[1:])} <= tokens.hashes
    assert {"09876543210", "09812345678"} <= tokens.texts  # the numbers as written, squashed
    assert not any("9000000001" in t for t in tokens.texts)
    assert sha("+919000000001") not in tokens.hashes
