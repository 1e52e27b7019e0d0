"""Identifier normalisation for the ad platforms, then SHA-256 (hex, lower case).

Phones arrive in E.164 from marts.customers.phone_e164 (parsed with `phonenumbers`).

Each platform matches hashes against its own normalisation of its users' data, so the
rules must be exactly theirs:
- Google Ads Customer Match: trim + lower-case everything; for gmail.com/googlemail.com
  drop the dots of the local part; phone in E.164 *with* '+'; names hashed after trim +
  lower-case; country sent unhashed (ISO alpha-2).
- Meta Custom Audiences: email trim + lower-case; phone digits only with country code,
  no '+', no leading zeros; fn/ln lower-case without punctuation (letters of any script
  kept, UTF-8); country lower-case ISO alpha-2, hashed too.
A missing or unparseable value stays null: hashing '' would match nobody and leak that
the field was empty.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import polars as pl


def sha256_columns(frame: pl.DataFrame, columns: Sequence[str]) -> pl.DataFrame:
    """`columns` replaced by the lower-case hex SHA-256 of their UTF-8 text (DuckDB's sha256,
    which is that: one Python hashlib call per value cost ~1 s per 200k rows); null stays null."""
    picked = ", ".join(
        f'case when "{c}" is not null then sha256("{c}") end as "{c}"' if c in columns else f'"{c}"'
        for c in frame.columns
    )
    with duckdb.connect() as con:
        con.register("_rapport_hashed", frame.to_arrow())
        hashed = pl.from_arrow(con.sql(f"select {picked} from _rapport_hashed").to_arrow_table())
    assert isinstance(hashed, pl.DataFrame)
    return hashed


def _blank_to_null(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr.str.len_chars() > 0).then(expr)


def email_basic(col: str = "email") -> pl.Expr:
    return _blank_to_null(pl.col(col).str.strip_chars().str.to_lowercase())


def email_google(col: str = "email") -> pl.Expr:
    basic = email_basic(col)
    local, domain = basic.str.extract(r"^(.*)@", 1), basic.str.extract(r"@([^@]*)$", 1)
    gmail = domain.is_in(["gmail.com", "googlemail.com"])
    return pl.when(gmail).then(local.str.replace_all(".", "", literal=True) + "@" + domain).otherwise(basic)


def name_google(col: str) -> pl.Expr:
    return _blank_to_null(pl.col(col).str.strip_chars().str.to_lowercase())


def name_meta(col: str) -> pl.Expr:
    # punctuation and whitespace out, letters of every script (and digits) kept
    return _blank_to_null(pl.col(col).str.to_lowercase().str.replace_all(r"[\p{P}\p{S}\s]", ""))


def phone_meta(col: str = "phone_e164") -> pl.Expr:
    return _blank_to_null(pl.col(col).str.replace_all(r"\D", "").str.strip_chars_start("0"))


def country_meta(col: str = "country") -> pl.Expr:
    return _blank_to_null(pl.col(col).str.strip_chars().str.to_lowercase())
