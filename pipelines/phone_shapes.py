"""E.164 of the common mobile shapes by regex, where phonenumbers' answer is known to be plain.

`phonenumbers.parse` costs ~12 µs a number (most of int_phone_numbers' build). For each shape
below its answer is "+" + the country code + the shape's digits: the region's national prefix
(0) is the only thing dropped, the leading digits rule out the region's international and
carrier prefixes, and the length is one the plan calls possible. tests/test_phone_shapes.py
checks every shape against phonenumbers itself (Hypothesis, and every leading-digit prefix).
Any other string, a national shape with another country, or a changed country column is left
null here and parsed by phonenumbers (pipelines/phones.py).
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

_D = "[0-9]"
# (country code, the regions a national shape needs (none: an international one), shape);
# each group is a run of digits of the number, the rest is separators and prefixes
SHAPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("91", (), rf"\+91 ?([6-9]{_D}{{4}}) ?({_D}{{5}})"),
    ("91", ("IN",), rf"0?([6-9]{_D}{{4}}) ?({_D}{{5}})"),
    ("1", (), rf"\+1 ([2-9]{_D}{{2}})-({_D}{{3}})-({_D}{{4}})"),
    (
        "1",
        ("US", "CA"),
        rf"(?:\(([2-9]{_D}{{2}})\) |([2-9]{_D}{{2}})\.|1-([2-9]{_D}{{2}})-)({_D}{{3}})[-.]({_D}{{4}})",
    ),
    ("44", (), rf"\+44 ?(7{_D}{{3}}) ?({_D}{{6}})"),
    ("44", ("GB",), rf"0(7{_D}{{3}}) ({_D}{{6}})"),
    ("49", (), rf"\+49 (?:\(0\))?(1[5-7]{_D}) ({_D}{{7,8}})"),
    ("49", ("DE",), rf"0(1[5-7]{_D}) ({_D}{{7,8}})"),
    ("33", (), rf"\+33 (?:\(0\))?([67])((?: {_D}{{2}}){{4}})"),
    ("33", ("FR",), rf"0([67])((?: {_D}{{2}}){{4}})"),
    ("34", (), rf"\+34 ([67]{_D}{{2}}) ({_D}{{3}}) ({_D}{{3}})"),
    ("34", ("ES",), rf"([67]{_D}{{2}}) ({_D}{{2}}) ({_D}{{2}}) ({_D}{{2}})"),
    ("61", (), rf"\+61 (4{_D}{{2}}) ({_D}{{3}}) ({_D}{{3}})"),
    ("61", ("AU",), rf"0(4{_D}{{2}}) ({_D}{{3}}) ({_D}{{3}})"),
    ("880", (), rf"\+880 (1[3-9]{_D}{{2}})-({_D}{{6}})"),
    ("880", ("BD",), rf"0(1[3-9]{_D}{{2}})-({_D}{{6}})"),
    ("971", (), rf"\+971 (5{_D}) ({_D}{{3}}) ({_D}{{4}})"),
    ("971", ("AE",), rf"0(5{_D}) ({_D}{{3}}) ({_D}{{4}})"),
    ("966", (), rf"\+966 (5{_D}) ({_D}{{3}}) ({_D}{{4}})"),
    ("966", ("SA",), rf"0(5{_D}) ({_D}{{3}}) ({_D}{{4}})"),
    ("86", (), rf"\+86 (13{_D}) ({_D}{{4}}) ({_D}{{4}})"),
    ("86", ("CN",), rf"(13{_D}) ({_D}{{4}}) ({_D}{{4}})"),
    ("81", (), rf"\+81 ([789]0)-({_D}{{4}})-({_D}{{4}})"),
    ("81", ("JP",), rf"0([789]0)-({_D}{{4}})-({_D}{{4}})"),
)


def shape_e164(phones: pa.Array, countries: pa.Array) -> pa.Array:
    """E.164 of each phone in one of SHAPES (its country decides national shapes), else null."""
    # only an ASCII-blank-padded code counts: any other spelling goes the slow way
    region = pc.ascii_upper(pc.ascii_trim_whitespace(countries))
    out = pa.nulls(len(phones), pa.string())
    for code, needs, shape in SHAPES:
        hit = pc.match_substring_regex(phones, f"^(?:{shape})$")
        if needs:
            hit = pc.and_kleene(hit, pc.is_in(region, pa.array(needs)))
        hit = pc.fill_null(hit, False)
        if not pc.any(hit).as_py():
            continue
        groups = "".join(f"\\{i}" for i in range(1, re.compile(shape).groups + 1))
        # only the hits go through the rewrite (the costly part): filtered, then put back
        digits = pc.replace_substring_regex(pc.filter(phones, hit), f"^(?:{shape})$", groups)
        number = pc.binary_join_element_wise(f"+{code}", pc.replace_substring(digits, " ", ""), "")
        out = pc.replace_with_mask(out, hit, number)
    return out
