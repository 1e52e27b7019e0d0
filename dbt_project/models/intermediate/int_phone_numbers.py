"""One row per distinct (phone, country) of a person's account: the number in E.164.

A dbt Python model because E.164 needs real numbering-plan metadata (`phonenumbers`),
not a regex. Parsing is the slow part (a Python call per number: ~50 s for 1M), so
each run reuses the previous run's answers: while this model builds, its previous
table still exists, and only pairs it does not hold (or parsed by another
`phonenumbers` version) are parsed again. Only pairs still in use are kept, so an
erased or changed number leaves with the next run.
"""

import phonenumbers
import polars as pl

VERSION = phonenumbers.__version__


def _e164(phone: str, country: str | None) -> str | None:
    # a number written with +CC parses on its own; a national one needs the country
    region = (country or "").strip().upper() or None
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _previous(dbt, session) -> pl.DataFrame | None:
    this = dbt.this
    found = session.execute(
        "select 1 from information_schema.tables where table_schema = ? and table_name = ?",
        [this.schema, this.identifier],
    ).fetchall()
    if not found:
        return None
    return session.sql(f"select phone, country, phone_e164, parsed_with from {this}").pl()


def model(dbt, session):
    dbt.config(materialized="table")
    people = dbt.ref("int_customers_merged").pl().select("phone", "country")
    pairs = people.filter(pl.col("phone").str.strip_chars() != "").unique()
    previous = _previous(dbt, session)
    if previous is not None:
        known = previous.filter(pl.col("parsed_with") == VERSION)
        cached = pairs.join(known, on=["phone", "country"], how="inner", nulls_equal=True)
        todo = pairs.join(known, on=["phone", "country"], how="anti", nulls_equal=True)
    else:
        cached, todo = None, pairs
    parsed = todo.with_columns(
        pl.Series(
            "phone_e164",
            [_e164(p, c) for p, c in zip(todo["phone"], todo["country"], strict=True)],
            dtype=pl.String,
        ),
        pl.lit(VERSION).alias("parsed_with"),
    )
    return parsed if cached is None else pl.concat([cached.select(parsed.columns), parsed])
