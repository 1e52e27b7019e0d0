"""pipelines/phone_shapes.py: every shape's answer is phonenumbers' own, for every leading digit."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import phones
from pipelines.phone_shapes import SHAPES, shape_e164

REGIONS = sorted({r for _, needs, _ in SHAPES for r in needs})
# how a country column may spell a region, and ones a national shape must not take
SPELLINGS = st.one_of(
    st.sampled_from(REGIONS).flatmap(
        lambda r: st.sampled_from([r, r.lower(), f" {r} ", r.title(), f"\t{r}"])
    ),
    st.sampled_from([None, "", " ", "XX", "IND", "U S", "\u0131n", "\u0130N", "GB|", "in\u00a0"]),
)


def _one_row(phone: str, country: str | None) -> tuple[str | None, str | None]:
    got = shape_e164(pa.array([phone], pa.string()), pa.array([country], pa.string()))[0].as_py()
    return got, phones._one(phone, country)


@pytest.mark.parametrize("index", range(len(SHAPES)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_shape_gives_phonenumbers_answer_for_every_leading_digits(index: int, data: st.DataObject) -> None:
    """The number's first three digits decide prefixes (trunk, international, carrier, the
    country code again); all 1,000 of them, on a drawn number of the shape."""
    _, needs, shape = SHAPES[index]
    phone = data.draw(st.from_regex(re.compile(shape, re.ASCII), fullmatch=True), "phone")
    country = data.draw(st.sampled_from(needs) if needs else SPELLINGS, "country")
    # the number's own digits are the groups' (not the +CC or trunk 0 literals of the shape)
    first = [m.start() for m in re.finditer("[0-9]", phone) if not _fixed(shape, phone, m.start())][:3]
    variants = []
    for lead in range(1000):
        chars = list(phone)
        for pos, digit in zip(first, f"{lead:03d}", strict=False):
            chars[pos] = digit
        variant = "".join(chars)
        if re.fullmatch(shape, variant):
            variants.append(variant)
    got = shape_e164(pa.array(variants, pa.string()), pa.array([country] * len(variants), pa.string()))
    for variant, answer in zip(variants, got.to_pylist(), strict=True):
        assert answer == phones._one(variant, country), (variant, country)
        assert answer is not None


def _fixed(shape: str, phone: str, pos: int) -> bool:
    """Whether the digit at pos is outside every group (a literal of the shape: +CC, trunk 0)."""
    m = re.fullmatch(shape, phone)
    assert m is not None
    return not any(m.start(g) <= pos < m.end(g) for g in range(1, len(m.groups()) + 1) if m.start(g) >= 0)


@settings(max_examples=400, deadline=None)
@given(
    phone=st.one_of(
        st.sampled_from([s for _, _, s in SHAPES]).flatmap(
            lambda s: st.from_regex(re.compile(s, re.ASCII), fullmatch=True)
        ),
        st.from_regex(r"[+0-9 ().-]{6,18}", fullmatch=True),
        st.text(max_size=20),
    ),
    country=SPELLINGS,
)
def test_any_string_gets_phonenumbers_answer_or_is_left_to_it(phone: str, country: str | None) -> None:
    got, expected = _one_row(phone, country)
    assert got is None or got == expected
    # as DuckDB calls it: chunked arrays, a null phone among the rows
    batch = phones.e164(
        pa.chunked_array([[phone, None], [phone]], pa.string()),
        pa.chunked_array([[country, "IN"], [country]], pa.string()),
    )
    assert batch.to_pylist() == [expected, None, expected]


def test_a_national_shape_of_another_country_is_parsed_by_phonenumbers() -> None:
    # "098765 43210" is an Indian mobile only for IN; for GB it is left to the numbering plan
    assert _one_row("098765 43210", "GB")[0] is None
    assert _one_row("098765 43210", " in ") == ("+919876543210", "+919876543210")
    assert _one_row("(201) 555-0123", "FR")[0] is None
    assert _one_row("+1 201-555-0123", None) == ("+12015550123", "+12015550123")
    assert _one_row("(101) 555-0123", "US")[0] is None  # a leading 1 is a trunk prefix: not a shape


def test_a_null_typed_country_or_phone_column_gives_the_parse_answer() -> None:
    """A NULL literal reaches the UDF as an Arrow array of type null (Spark); the per-row parse
    took it, and so must the shapes' string kernels."""
    numbers = pa.array(["+91 98765 43210", "098765 43210", None], pa.string())
    got = phones.e164(numbers, pa.nulls(3))
    assert (
        got.to_pylist()
        == [phones._one(p, None) for p in numbers.to_pylist()]
        == ["+919876543210", None, None]
    )
    assert phones.e164(pa.nulls(2), pa.array(["IN", "GB"])).to_pylist() == [None, None]
