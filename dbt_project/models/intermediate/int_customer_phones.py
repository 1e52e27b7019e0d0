"""One row per person with a phone: the number in E.164, as int_phone_numbers parsed it.

A Python model beside int_phone_numbers so the phone rule stays in one language.
"""

import polars as pl


def model(dbt, session):
    dbt.config(materialized="table")
    people = dbt.ref("int_customers_merged").pl().select("customer_id", "phone", "country")
    people = people.filter(pl.col("phone").str.strip_chars() != "")
    numbers = dbt.ref("int_phone_numbers").pl().select("phone", "country", "phone_e164")
    return people.join(numbers, on=["phone", "country"], how="left", nulls_equal=True).select(
        "customer_id", "phone_e164"
    )
