"""E.164 for a (phone, country) column pair, by the numbering-plan metadata of `phonenumbers`.

Not a regex: national formats need the real plan, except for the common mobile shapes whose
answer pipelines/phone_shapes.py proves plain (checked against this module's own answer);
every other number is parsed here. One Arrow batch in, one out, so both
engines call it vectorised: DuckDB as a Python UDF (pipelines/dbt_plugin.py), Spark as a
pandas UDF (scripts/spark_dbt.py). `int_phone_numbers` stamps each answer with VERSION.
"""

from __future__ import annotations

import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

from pipelines.phone_shapes import shape_e164

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
    # DuckDB hands a chunked array, Spark a plain one, of type null for a NULL literal (the per-row
    # parse took any type; the shapes' string kernels do not)
    phones, countries = (
        (a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a).cast(pa.string())
        for a in (phones, countries)
    )
    known = shape_e164(phones, countries)  # the common shapes without a parse
    todo = pc.and_(pc.is_null(known), pc.is_valid(phones))
    rest = [
        _one(p, c)
        for p, c in zip(phones.filter(todo).to_pylist(), countries.filter(todo).to_pylist(), strict=True)
    ]
    return pc.replace_with_mask(known, todo, pa.array(rest, pa.string()))
