"""Google and Meta files against the examples the platforms publish and against an
independent normaliser written here from their rules (not from the code under test)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.export.destinations import google_ads, meta_ads


def h(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None


def _ws(c: str) -> bool:
    return c.isspace() or unicodedata.category(c) == "Zs" or c in "\u200b\u200c\u200d\u2060\ufeff\u180e"


def google_email(value: str | None) -> str | None:
    """Data Manager API "Format user data": lower case, all whitespace out; for gmail.com
    and googlemail.com drop every '.' before '@' and a '+' with what follows it."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", "".join(c for c in value if not _ws(c)).lower())
    local, at, domain = text.rpartition("@")
    if at and domain in ("gmail.com", "googlemail.com"):
        text = local.split("+")[0].replace(".", "") + "@" + domain
    return text or None


def google_name(value: str | None) -> str | None:
    """AddressInfo given/family name: all lowercase, no punctuation, no leading or trailing
    whitespace (inner runs of whitespace read as one space)."""
    if value is None:
        return None
    kept = "".join(c for c in value if not unicodedata.category(c).startswith("P"))
    words = "".join(" " if _ws(c) else c for c in kept).split()
    return unicodedata.normalize("NFC", " ".join(words).lower()) or None


def meta_name(value: str | None) -> str | None:
    """Meta fn/ln: lower case, no punctuation (or symbols, whitespace); UTF-8 letters kept."""
    if value is None:
        return None
    out = "".join(c for c in value.lower() if unicodedata.category(c)[0] not in "PSZ" and not c.isspace())
    return out or None


def meta_phone(e164: str | None) -> str | None:
    digits = re.sub(r"\D", "", e164 or "").lstrip("0")
    return digits or None


def test_googles_published_examples() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": ["1", "2", "3"],
            "email": [
                "cloudy.sanfrancisco+shopping@gmail.com",
                "user.name+NYC@Example.com",
                " Test@GoogleMail.com",
            ],
            "phone_e164": ["+18005550100", None, "+919876543210"],
            "first_name": ["John", "Zoë", "अनन्या"],
            "last_name": ["Smith", "Pérez", "O'Brien-Iyer"],
            "country": ["us", "SG", "in"],
        }
    )
    out = google_ads.render(frame, None, "s")
    assert out.columns == ["customer_id", "Email", "Phone", "First Name", "Last Name", "Country", "Zip"]
    assert out["Email"].to_list() == [
        h("cloudysanfrancisco@gmail.com"), h("user.name+nyc@example.com"), h("test@googlemail.com"),
    ]  # fmt: skip
    assert out["Phone"].to_list() == [h("+18005550100"), None, h("+919876543210")]
    assert out["First Name"].to_list() == [h("john"), h("zoë"), h("अनन्या")]
    assert out["Last Name"].to_list() == [h("smith"), h("pérez"), h("obrieniyer")]
    assert out["Country"].to_list() == ["US", "SG", "IN"]


def test_metas_published_examples() -> None:
    frame = pl.DataFrame(
        {
            "customer_id": ["1", "2"],
            "email": [" John_Smith@gmail.com ", "Someone@Example.com"],
            "phone_e164": ["+16169541234", "+919876543210"],
            "first_name": ["Mary", "Valéria"],
            "last_name": ["O'Neil", "दास"],
            "country": ["US", "in"],
        }
    )
    out = meta_ads.render(frame, None, "s")
    assert out["email"].to_list() == [h("john_smith@gmail.com"), h("someone@example.com")]
    assert out["phone"].to_list() == [h("16169541234"), h("919876543210")]
    assert out["fn"].to_list() == [h("mary"), h("valéria")]
    assert out["ln"].to_list() == [h("oneil"), h("दास")]
    assert out["country"].to_list() == [h("us"), h("in")]


# Latin with accents (composed and decomposed), Devanagari, Telugu, CJK, punctuation, spaces
PIECES = [*"AaZzÉéÖ' -.,\u00a0\tßİ", "e\u0301", "\u200b", "अनन्या", "దాస", "山田", "O'Brien", "Anne-Marie"]
NAME = st.lists(st.sampled_from(PIECES), max_size=5).map("".join)
EMAIL = st.builds(
    lambda pad, local, domain: f"{pad}{local}@{domain}{pad}",
    st.sampled_from(["", " ", "\u00a0", "\t"]),
    st.text(alphabet="abYZ.+_-09", min_size=1, max_size=10),
    st.sampled_from(["gmail.com", "GoogleMail.com", "example.in", "Example.COM"]),
)
PHONE = st.one_of(st.none(), st.from_regex(r"\+[1-9][0-9]{7,14}", fullmatch=True))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(EMAIL, NAME, NAME, PHONE), min_size=1, max_size=15))
def test_every_row_equals_the_independent_normalisers(rows: list[tuple[str, str, str, str | None]]) -> None:
    frame = pl.DataFrame(
        {
            "customer_id": [str(i) for i in range(len(rows))],
            "email": [r[0] for r in rows],
            "first_name": [r[1] for r in rows],
            "last_name": [r[2] for r in rows],
            "phone_e164": [r[3] for r in rows],
            "country": ["IN"] * len(rows),
        },
        schema={
            c: pl.String for c in ("customer_id", "email", "first_name", "last_name", "phone_e164", "country")
        },
    )
    google = google_ads.render(frame, None, "s")
    assert google["Email"].to_list() == [h(google_email(r[0])) for r in rows]
    assert google["First Name"].to_list() == [h(google_name(r[1])) for r in rows]
    assert google["Last Name"].to_list() == [h(google_name(r[2])) for r in rows]
    assert google["Phone"].to_list() == [h(r[3]) for r in rows]
    meta = meta_ads.render(frame, None, "s")
    assert meta["fn"].to_list() == [h(meta_name(r[1])) for r in rows]
    assert meta["phone"].to_list() == [h(meta_phone(r[3])) for r in rows]


def google_zip(code: str | None, country: str | None) -> str | None:
    """Google's postal-code rule, written independently: in clear, whitespace trimmed; US 5
    digits or ZIP+4; India a 6-digit PIN (first digit 1-9); elsewhere as written."""
    text = "".join(c for c in (code or "") if not _ws(c))
    region = "".join(c for c in (country or "") if not _ws(c)).upper()
    if region == "US":
        digits = text.replace("-", "", 1) if re.fullmatch(r"\d{5}-\d{4}", text) else text
        if re.fullmatch(r"\d{5}", digits):
            return digits
        return f"{digits[:5]}-{digits[5:]}" if re.fullmatch(r"\d{9}", digits) else None
    if region == "IN":
        return text if re.fullmatch(r"[1-9]\d{5}", text) else None
    kept = "".join(ch for ch in " ".join((code or "").split()) if ch not in "\u200b\ufeff").strip()
    return kept.upper() or None


def test_the_zip_column_follows_googles_postal_code_rules() -> None:
    """US ZIP (5 digits, ZIP+4), Indian PIN written with a space or NBSP, a UK postcode as in
    Google's template (WC2H 8LG), and what Google would reject (a 4-digit US code, a PIN
    starting with 0) left empty rather than sent wrong. Other columns and Meta unchanged."""
    codes = [("02134", "US"), (" 94016-1234", "us"), ("940161234", "US"), ("9401", "US"),
             ("560 001", "IN"), ("\u00a0110001\t", "in"), ("012345", "IN"), ("wc2h 8lg", "GB"),
             (None, "IN"), ("75001", None)]  # fmt: skip
    frame = pl.DataFrame(
        {
            "customer_id": [str(i) for i in range(len(codes))],
            "email": ["a@example.com"] * len(codes),
            "phone_e164": [None] * len(codes),
            "first_name": ["Anna"] * len(codes),
            "last_name": ["Rao"] * len(codes),
            "country": [c for _, c in codes],
            "postal_code": [z for z, _ in codes],
        },
        schema={c: pl.String for c in ("customer_id", "email", "phone_e164", "first_name", "last_name",
                                       "country", "postal_code")},
    )  # fmt: skip
    out = google_ads.render(frame, None, "s")
    assert out["Zip"].to_list() == [
        "02134", "94016-1234", "94016-1234", None, "560001", "110001", None, "WC2H 8LG", None, "75001",
    ]  # fmt: skip
    assert out["Zip"].to_list() == [google_zip(z, c) for z, c in codes]
    assert "postal_code" not in meta_ads.render(frame, None, "s").columns
