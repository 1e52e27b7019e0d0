"""Google Ads Customer Match upload file, per Google's published formatting rules.

Template headers Email, Phone, First Name, Last Name, Country, Zip. Hashed with SHA-256
after normalising: email trimmed of all whitespace and lower-cased, and for gmail.com /
googlemail.com without dots and `+tag` in the local part; phone E.164 with '+'; names
lower case, no punctuation, no leading or trailing whitespace. Country (ISO 3166-1
alpha-2) and Zip go in clear, as Google asks: a name matches only together with both.
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
    "Zip": "rapport_trim(postal_code)",
}


def render(members: pl.DataFrame, fields: dict[str, str] | None, segment: str) -> pl.DataFrame:
    if "postal_code" not in members.columns:  # a shop that keeps no postal codes
        members = members.with_columns(pl.lit(None, pl.String).alias("postal_code"))
    identifiers = ("customer_id", "email", "phone_e164", "first_name", "last_name", "country", "postal_code")
    keyed = keys(members.select(identifiers).cast(pl.String), {f'"{k}"': v for k, v in COLUMNS.items()})
    return keyed.select("customer_id", *COLUMNS)
