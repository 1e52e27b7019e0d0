"""The one identity rule for matching people, as DuckDB SQL macros.

Consent, suppression, erasure and the ad-platform files all match a person by these keys,
so "suppress any variant, suppress the person" holds everywhere:
- every Unicode whitespace (space, tab, NBSP, em space, zero-width space, BOM...) removed
  from emails and phones; names lose it only at both ends;
- lower case (Unicode, as Python's str.lower except the Greek final sigma), then NFC;
- gmail.com / googlemail.com: the local part loses its dots and its `+tag` (Google treats
  all these as one mailbox); matching also maps googlemail.com to gmail.com;
- phones: E.164 (`+` and 8-15 digits; a leading `00` is read as `+`), else no phone key; a
  number written without either (a do-not-contact list has no country column) is matched by
  its national digits against every E.164's national number, in any country (fail closed).
Set-based SQL, never row-by-row Python: `install` defines temp macros on a connection
(also a read-only one) and `keys` applies them to a polars frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE

if TYPE_CHECKING:  # polars loads where `keys` runs: every dbt process imports this module
    import polars as pl

# ITU country calling codes form a prefix code: one of them starts each E.164 number
_CALLING_CODES = "|".join(str(code) for code in sorted(COUNTRY_CODE_TO_REGION_CODE))

# RE2 character class of every Unicode space separator plus ASCII/format spaces
WHITESPACE = r"[\s\p{Z}\x{0085}\x{180E}\x{200B}-\x{200D}\x{2060}\x{FEFF}]"
_GMAIL = r"'^[^@]*@(gmail|googlemail)\.com$'"

MACROS = {
    # Unicode lower case as Python's str.lower: DuckDB's simple mapping plus the one
    # unconditional multi-letter mapping (U+0130 'İ' -> 'i' + combining dot above)
    "rapport_lower": "(x) as lower(replace(x, '\u0130', 'i\u0307'))",
    # text with every whitespace removed, lower case, NFC; '' becomes NULL
    "rapport_squash": (
        f"(x) as nullif(nfc_normalize(rapport_lower(regexp_replace(x, '{WHITESPACE}', '', 'g'))), '')"
    ),
    # names: whitespace trimmed at both ends only, inner runs kept as one space
    "rapport_trim": (
        f"(x) as nullif(regexp_replace(regexp_replace(x, '^{WHITESPACE}+|{WHITESPACE}+$', '', 'g'),"
        f" '{WHITESPACE}+', ' ', 'g'), '')"
    ),
    # gmail local part without dots and +tag, domain kept (Google's published upload rule)
    "rapport_email_google": (
        "(x) as case when regexp_matches(rapport_squash(x), "
        + _GMAIL
        + ") then replace(split_part(split_part(rapport_squash(x), '@', 1), '+', 1), '.', '')"
        " || '@' || split_part(rapport_squash(x), '@', 2) else rapport_squash(x) end"
    ),
    # the matching key: googlemail.com and gmail.com are one mailbox
    "rapport_email_key": "(x) as regexp_replace(rapport_email_google(x), '@googlemail\\.com$', '@gmail.com')",
    # digits and '+' only: '+91 98765-43210', '(+91) 9876543210' and '0091 98765 43210' agree
    "rapport_phone_digits": "(x) as regexp_replace(rapport_squash(x), '[^0-9+]', '', 'g')",
    "rapport_phone_key": (
        "(x) as case"
        " when regexp_full_match(rapport_phone_digits(x), '\\+[1-9][0-9]{7,14}') then rapport_phone_digits(x)"
        " when regexp_full_match(rapport_phone_digits(x), '00[1-9][0-9]{7,14}')"
        " then '+' || rapport_phone_digits(x)[3:] end"
    ),
    # a phone written without + or 00 (no country to parse it with): its digits, trunk zeros
    # dropped ("098765 43210", "07700 900123"); also how "919876543210" (+ left out) is read
    "rapport_phone_national": (
        "(x) as case when rapport_phone_key(x) is null"
        " and regexp_full_match(ltrim(rapport_phone_digits(x), '0'), '[1-9][0-9]{6,14}')"
        " then ltrim(rapport_phone_digits(x), '0') end"
    ),
    # an E.164 number's national significant number, trunk zeros dropped (Italy keeps its 0)
    "rapport_phone_nsn": (
        "(x) as ltrim(nullif(regexp_extract(rapport_phone_key(x),"
        f" '^\\+(?:{_CALLING_CODES})([0-9]+)$', 1), ''), '0')"
    ),
    # Google Customer Match names: lower case, no punctuation, no leading/trailing whitespace
    # (letters and combining marks of every script kept, NFC)
    "rapport_name_google": (
        "(x) as nfc_normalize(rapport_lower(rapport_trim(regexp_replace(x, '\\p{P}', '', 'g'))))"
    ),
    # lower-case hex SHA-256 of the UTF-8 text; NULL stays NULL (hashing '' would match nobody)
    "rapport_sha256": "(x) as case when x is not null then sha256(x) end",
    # an identifier column as given (customer ids): whitespace of any kind trimmed
    "rapport_id_key": f"(x) as nullif(regexp_replace(x, '^{WHITESPACE}+|{WHITESPACE}+$', '', 'g'), '')",
}


def install(con: duckdb.DuckDBPyConnection, into: str | None = None) -> None:
    """Define the macros on `con` (temp: nothing is written to the database file), or in the
    attached in-memory catalog `into`, which every cursor of the database sees on its search path
    (pipelines/dbt_plugin.py)."""
    for name, body in MACROS.items():
        con.execute(f"create or replace {_where(into)}{name}{body}")


def _where(into: str | None) -> str:
    return "temp macro " if into is None else f"macro {into}.main."


def keys(frame: pl.DataFrame, exprs: dict[str, str]) -> pl.DataFrame:
    """`frame` plus one column per `name -> SQL over frame's columns` (e.g. rapport_email_key(email))."""
    import polars as pl

    con = duckdb.connect()
    try:
        install(con)
        con.register("_frame", frame.to_arrow())
        extra = ", ".join(f"{sql} as {name}" for name, sql in exprs.items())
        return pl.from_arrow(con.sql(f"select *, {extra} from _frame").to_arrow_table())  # type: ignore[return-value]
    finally:
        con.close()
