"""The identity rule (pipelines/identity.py) against an independent Python normaliser."""

from __future__ import annotations

import re
import unicodedata

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

from pipelines.identity import keys

SPACES = " \t\r\n\u00a0\u1680\u2000\u2003\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeff"


def email_key(value: str | None) -> str | None:
    """Written from the rule's text, not from the SQL."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", "".join(c for c in value if c not in SPACES).lower())
    if not text:
        return None
    local, _, domain = text.rpartition("@")
    if domain in ("gmail.com", "googlemail.com") and local and "@" not in local:
        return local.split("+", 1)[0].replace(".", "") + "@gmail.com"
    return text


def phone_key(value: str | None) -> str | None:
    if value is None:
        return None
    kept = re.sub(r"[^0-9+]", "", "".join(c for c in value if c not in SPACES))
    if re.fullmatch(r"\+[1-9][0-9]{7,14}", kept):
        return kept
    # E.164 / E.123: '+' is the international prefix, written only first; a '+' anywhere
    # else ('0010000000+', '00+91...') makes the text no international number at all
    return "+" + kept[2:] if re.fullmatch(r"00[1-9][0-9]{7,14}", kept) else None


def national(value: str | None) -> str | None:
    """A number written without + or 00: its digits, trunk zeros dropped, when 7-15 are left."""
    if value is None or phone_key(value) is not None:
        return None
    digits = re.sub(r"[^0-9+]", "", "".join(c for c in value if c not in SPACES)).lstrip("0")
    return digits if re.fullmatch(r"[1-9][0-9]{6,14}", digits) else None


def nsn(value: str | None) -> str | None:
    """An E.164 number without its country calling code (from phonenumbers' table), trunk zeros dropped."""
    key = phone_key(value)
    if key is None:
        return None
    codes = [c for c in map(str, COUNTRY_CODE_TO_REGION_CODE) if key[1:].startswith(c)]
    return key[1 + len(codes[0]) :].lstrip("0") if codes else None


LOCAL = st.text(alphabet="abcXYZ.+_-019é", min_size=1, max_size=12)
DOMAIN = st.sampled_from(["gmail.com", "GoogleMail.com", "example.in", "GMAIL.COM", "mail.co.jp"])
PAD = st.text(alphabet=SPACES, max_size=3)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(PAD, LOCAL, DOMAIN, PAD), max_size=20))
def test_email_key_matches_the_independent_rule(parts: list[tuple[str, str, str, str]]) -> None:
    emails = [f"{a}{local}@{domain}{b}" for a, local, domain, b in parts]
    frame = keys(pl.DataFrame({"e": emails}, schema={"e": pl.String}), {"k": "rapport_email_key(e)"})
    assert frame["k"].to_list() == [email_key(e) for e in emails]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="+0123456789 -()./\u00a0\t", max_size=22), max_size=20))
def test_phone_key_matches_the_independent_rule(phones: list[str]) -> None:
    frame = keys(pl.DataFrame({"p": phones}, schema={"p": pl.String}), {"k": "rapport_phone_key(p)"})
    assert frame["k"].to_list() == [phone_key(p) for p in phones]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="+0123456789 -()\u00a0", max_size=22), max_size=20))
def test_national_digits_and_numbers_match_the_independent_rule(phones: list[str]) -> None:
    exprs = {"n": "rapport_phone_national(p)", "s": "rapport_phone_nsn(p)"}
    frame = keys(pl.DataFrame({"p": phones}, schema={"p": pl.String}), exprs)
    assert frame["n"].to_list() == [national(p) for p in phones]
    assert frame["s"].to_list() == [nsn(p) for p in phones]


def test_a_number_written_nationally_meets_its_e164_in_any_country() -> None:
    """Do-not-contact lists have no country column (blocked.py, int_erasure_requests)."""
    written = ["98765 43210", "07700 900123", "(0)6 12 34 56 78", "919876543210", "12 34", "+91 98765 43210"]
    e164 = ["+919876543210", "+447700900123", "+33612345678", "+919876543210", None, "+919876543210"]
    frame = keys(
        pl.DataFrame({"p": written, "e": e164}),
        {"n": "rapport_phone_national(p)", "s": "rapport_phone_nsn(e)"},
    )
    assert frame["n"].to_list() == ["9876543210", "7700900123", "612345678", "919876543210", None, None]
    assert frame["s"].to_list() == ["9876543210", "7700900123", "612345678", "9876543210", None, "9876543210"]
    # the country codes are a prefix code: no E.164 number can be read with two of them
    codes = [str(c) for c in COUNTRY_CODE_TO_REGION_CODE]
    assert not [(a, b) for a in codes for b in codes if a != b and b.startswith(a)]


def test_a_plus_sign_anywhere_but_first_is_no_phone() -> None:
    """Found by Hypothesis' dev profile: '0010000000+' once had no key in SQL but '+10000000'
    in this file's rule. E.164 writes '+' only before the country code, so SQL was right."""
    phones = ["0010000000+", "00+919876543210", "+91+9876543210", "0091 98765 43210", "+91 98765-43210"]
    frame = keys(pl.DataFrame({"p": phones}), {"k": "rapport_phone_key(p)"})
    assert frame["k"].to_list() == [None, None, None, "+919876543210", "+919876543210"]
    assert frame["k"].to_list() == [phone_key(p) for p in phones]


def test_every_variant_of_one_mailbox_has_one_key() -> None:
    variants = [
        "yui.watanabe@gmail.com", "YuiWatanabe@gmail.com", " yui.watanabe+shop@googlemail.com\t",
        "\u00a0yuiwatanabe@GMAIL.com\u200b", "y.u.i.w.a.t.a.n.a.b.e+x+y@gmail.com",
    ]  # fmt: skip
    frame = keys(pl.DataFrame({"e": variants}), {"k": "rapport_email_key(e)"})
    assert set(frame["k"]) == {"yuiwatanabe@gmail.com"}
    # other domains keep dots and +tags: they may be different mailboxes
    other = keys(pl.DataFrame({"e": ["a.b+x@example.com", "ab@example.com"]}), {"k": "rapport_email_key(e)"})
    assert other["k"].to_list() == ["a.b+x@example.com", "ab@example.com"]
    # NFC: a decomposed é is the composed one
    nfc = keys(
        pl.DataFrame({"e": ["re\u0301my@example.fr", "r\u00e9my@example.fr"]}), {"k": "rapport_email_key(e)"}
    )
    assert nfc["k"].n_unique() == 1
