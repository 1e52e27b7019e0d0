"""forget remembers every erased account's keys as keyed hashes in the transaction that deletes
their customers rows, so the next dbt build (int_customers_erased) still knows them when a
later row comes back under another form; an export need not have run (the home has none)."""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

import duckdb
import pytest

from pipelines.forget import forget_erased
from pipelines.settings import Settings, get_settings

KEY = "k" * 40


def test_every_account_id_email_and_phone_key_is_remembered_keyed(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAPPORT_ERASURE_KEY", KEY)
    get_settings.cache_clear()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute("drop schema exports cascade")  # forget runs before any export ever did
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        stored = set(con.execute("select kind, digest from exports.erased where kind != 'token'").fetchall())

    def keyed(value: str) -> str:
        return hmac.new(KEY.encode(), value.encode(), hashlib.sha256).hexdigest()

    # C7 is Anna's second account (a source id only): the export remembers canonical ids alone
    want = {("id", keyed("C1")), ("id", keyed("C7")), ("email", keyed("anna.smith@example.com")),
            ("phone", keyed("+919876543210"))}  # fmt: skip
    assert stored == want
    assert not any(d == "C1" or "anna" in d for _, d in stored)


def test_a_person_only_a_shared_key_reaches_is_erased_and_only_their_ids_remembered(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ravi shares a phone with someone erased (no request names him): forget deletes his rows,
    but remembering his email or phone would make the next run erase whoever shares *those*, a
    hop a day (DECISIONLOG, stop 18). His id is remembered: it names his account alone, and his
    later orders under it then load as an erased person's (anonymised), not as orphans."""
    monkeypatch.setenv("RAPPORT_ERASURE_KEY", KEY)
    get_settings.cache_clear()
    with duckdb.connect(str(home / "warehouse.duckdb")) as con:
        con.execute(
            "insert into intermediate.int_customers_erased values"
            " ('C2', 'C2', 'ravi@example.com', '+919000000001', false)"
        )
    forget_erased(Settings(home=home), "run_1")
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        stored = set(con.execute("select kind, digest from exports.erased where kind != 'token'").fetchall())
        left = con.execute("select customer_id from raw.customers order by 1").fetchall()

    def keyed(value: str) -> str:
        return hmac.new(KEY.encode(), value.encode(), hashlib.sha256).hexdigest()

    assert left == [], "Ravi is erased like Anna"
    assert ("id", keyed("C2")) in stored
    assert ("email", keyed("ravi@example.com")) not in stored
    assert ("phone", keyed("+919000000001")) not in stored
    assert ("id", keyed("C1")) in stored  # Anna, whom a request names, is remembered
