"""E.164 for a (phone, country) column pair, by the numbering-plan metadata of `phonenumbers`.

Not a regex: national formats need the real plan. One Arrow batch in, one out, so both
engines call it vectorised: DuckDB as a Python UDF (pipelines/dbt_plugin.py), Spark as a
pandas UDF (scripts/spark_dbt.py). `int_phone_numbers` stamps each answer with VERSION.
"""

from __future__ import annotations

import phonenumbers
import pyarrow as pa

VERSION: str = phonenumbers.__version__


def _one(phone: str | None, country: str | None) -> str | None:
    if phone is None:
        return None
    # a number written with +CC parses on its own; a national one needs the country
    region = (country or "").strip().upper() or None
    try:
        number = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164(phones: pa.Array, countries: pa.Array) -> pa.Array:
    """The E.164 form of each phone (its country read for national numbers), else null."""
    return pa.array(
        [_one(p, c) for p, c in zip(phones.to_pylist(), countries.to_pylist(), strict=True)], pa.string()
    )
