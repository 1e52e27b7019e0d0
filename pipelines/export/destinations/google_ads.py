"""Google Ads Customer Match upload file, per Google's published formatting rules.

Template headers Email, Phone, First Name, Last Name, Country, Zip. Hashed with SHA-256
after normalising: email trimmed of all whitespace and lower-cased, and for gmail.com /
googlemail.com without dots and `+tag` in the local part; phone E.164 with '+'; names
lower case, no punctuation, no leading or trailing whitespace. Country (ISO 3166-1
alpha-2) and Zip go in clear, as Google asks: a name matches only together with both
(Zip: see ZIP below; from the optional customers.postal_code of the landing contract).
The rules are the identity macros of pipelines/identity.py, run set-based in DuckDB.
"""

from __future__ import annotations

import polars as pl

from pipelines.identity import keys

COLUMNS = {
    "Email": "rapport_sha256(rapport_email_google(email))",
    "Phone": "rapport_sha256(rapport_phone_key(phone_e164))",
    "First Name": "rapport_sha256(rapport_name_google(first_name))",
    "Last Name": "rapport_sha256(rapport_name_google(last_name))",
    "Country": "upper(rapport_squash(country))",
    "Zip": "ZIP",
}
# Google (Data Manager API AddressInfo.postal_code, Customer Match "Zip"): in clear, trimmed;
# US: 5 digits, or 5 digits and the 4-digit extension; every other country: no extension.
# India's PIN is 6 digits (first 1-9), often written '560 001': the space goes. A code that
# cannot be a US ZIP / Indian PIN is left empty rather than sent wrong.
ZIP = """case
    when upper(rapport_squash(country)) = 'US' then case
        when regexp_full_match(rapport_squash(postal_code), '[0-9]{5}') then rapport_squash(postal_code)
        when regexp_full_match(rapport_squash(postal_code), '[0-9]{5}-?[0-9]{4}')
        then left(rapport_squash(postal_code), 5) || '-' || right(rapport_squash(postal_code), 4) end
    when upper(rapport_squash(country)) = 'IN' then case
        when regexp_full_match(rapport_squash(postal_code), '[1-9][0-9]{5}')
        then rapport_squash(postal_code) end
    else upper(rapport_trim(postal_code)) end"""
COLUMNS["Zip"] = ZIP


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    if "postal_code" not in members.columns:  # a shop that keeps no postal codes
        members = members.with_columns(pl.lit(None, pl.String).alias("postal_code"))
    identifiers = ("customer_id", "email", "phone_e164", "first_name", "last_name", "country", "postal_code")
    keyed = keys(members.select(identifiers).cast(pl.String), {f'"{k}"': v for k, v in COLUMNS.items()})
    return keyed.select("customer_id", *COLUMNS)
