"""One row per person with a phone: the number in E.164, parsed by `phonenumbers`.

A dbt Python model (dbt-duckdb runs it in-process on the warehouse connection)
because E.164 needs real numbering-plan metadata, not a regex. Only distinct
(phone, country) pairs are parsed, so the Python work is bounded by the number
of distinct phones, not by the rows that reference them.
"""

import phonenumbers
import polars as pl


def _e164(pair: dict) -> str | None:
    # a number written with +CC parses on its own; a national one needs the country
    region = (pair["country"] or "").strip().upper() or None
    try:
        number = phonenumbers.parse(pair["phone"], region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def model(dbt, session):
    dbt.config(materialized="table")
    people = dbt.ref("int_customers_merged").pl().select("customer_id", "phone", "country")
    people = people.filter(pl.col("phone").str.strip_chars() != "")
    pairs = people.select("phone", "country").unique()
    parsed = pairs.with_columns(
        pl.struct("phone", "country").map_elements(_e164, return_dtype=pl.String).alias("phone_e164")
    )
    return people.join(parsed, on=["phone", "country"], how="left", nulls_equal=True).select(
        "customer_id", "phone_e164"
    )
