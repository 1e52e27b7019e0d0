"""pipelines/email_shapes.py: the shape never says valid where email_validator says invalid."""

from __future__ import annotations

import re

import pyarrow as pa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from expectations.suites.valid_email import _validator_says, validated
from pipelines.email_shapes import SHAPE, certainly_valid

# pieces of local parts and domain labels: plain ones, and ones at every edge email_validator
# has a rule for (each drawn half the time)
LOCAL = st.one_of(
    st.sampled_from(["a", "Z", "0", "anu.sharma", "o'brien", "a+tag", "x_y", "{|}~", "!#$%&'*+/=?^`-"]),
    st.sampled_from(
        [
            "",
            ".",
            "..",
            "a.",
            ".a",
            '"q"',
            '"a b"',
            "a b",
            "a\\b",
            "(c)",
            "é",
            "ಅನು",
            "\u0301",
            "a\u200b",
            "<a>",
            "@",
            "\uff20",
            "a,b",
            "a;b",
            "[a]",
        ]
    ),
)
LABEL = st.one_of(
    st.sampled_from(["example", "b", "0", "9a", "a-b", "a-1-b", "a" * 63]),
    st.sampled_from(
        [
            "a--b",
            "ab--c",
            "xn--bcher-kva",
            "xn--x",
            "XN--BCHER-KVA",
            "-a",
            "a-",
            "",
            "bücher",
            "ಉದಾಹರಣೆ",
            "a_b",
            "a b",
            "a\u3002b",
            "\uff21\uff22",
            "a" * 64,
            "b" * 62 + "-",
            "a\u2024b",
        ]
    ),
)
TLD = st.one_of(
    st.sampled_from(["com", "de", "co", "x", "Com", "ORG", "tests", "atest", "example", "locals"]),
    st.sampled_from(
        [
            "123",
            "c0m",
            "xn--p1ai",
            "भारत",
            "",
            "com-",
            "arpa",
            "invalid",
            "local",
            "localhost",
            "onion",
            "test",
            "Test",
            "TEST",
            "LocalHost",
            "a" * 64,
            "\uff23om",
        ]
    ),
)
NEAR = 'aZ09.-@_+ "\\()<>[]\t\n\u00e9\u0130\u2024\uff0e\u3002'  # characters the shape must rule on


def _padding(n: int) -> str:
    """n characters of domain labels of at most 63, each with its dot ("" if n < 2)."""
    out = ""
    while n >= 2:
        k = min(63, n - 1)
        out, n = out + "b" * k + ".", n - k - 1
    return out


@st.composite
def addresses(draw: st.DrawFn) -> str:
    """Addresses built from the pieces, often padded (local part or domain) to around
    email_validator's length limits, then perhaps one character changed, added or dropped."""
    local = ".".join(draw(st.lists(LOCAL, min_size=1, max_size=3)))
    labels = draw(st.lists(LABEL, min_size=0, max_size=4))
    domain = ".".join([*labels, draw(TLD)]) + draw(st.sampled_from(["", "", ".", ".."]))
    address = f"{local}@{domain}"
    if draw(st.booleans()):  # pad to 252..256 characters in all
        n = max(0, draw(st.integers(252, 256)) - len(address))
        if draw(st.booleans()):
            address = "a" * n + address
        else:
            pad = _padding(n)
            address = "a" * (n - len(pad)) + address.replace("@", "@" + pad, 1)
    if draw(st.booleans()) and address:
        at = draw(st.integers(0, len(address)))
        char = draw(st.sampled_from(NEAR))
        change = draw(st.sampled_from(["insert", "replace", "drop"]))
        tail = address[at + 1 :] if change != "insert" else address[at:]
        address = address[:at] + ("" if change == "drop" else char) + tail
    return address


def _check(values: list[str]) -> None:
    sure = certainly_valid(pa.array(values, pa.string())).to_pylist()
    for value, shape in zip(values, sure, strict=True):
        if shape:
            assert _validator_says(value), value


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(address=addresses())
@example("a@b.test")
@example("a@" + "b" * 64 + ".com")
@example("a@ab--c.com")
@example("a@x.c0m")
@example("a" * 243 + "@example.com")
def test_built_addresses_the_shape_takes_are_valid(address: str) -> None:
    _check([address])


@settings(max_examples=500, deadline=None)
@given(address=st.from_regex(re.compile(SHAPE, re.ASCII), fullmatch=True))
def test_strings_of_the_shape_are_valid_where_the_shape_takes_them(address: str) -> None:
    _check([address])


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(NEAR + "bxn"), max_size=40))
def test_strings_near_the_shape(text: str) -> None:
    _check([text, f"{text}@example.com", f"a@{text}.com", f"a@example.{text}", f"a{text}b@c{text}d.ef"])


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.one_of(addresses(), st.text(max_size=12)), max_size=20))
def test_validated_is_email_validator_for_every_value(values: list[str]) -> None:
    assert validated(values) == [_validator_says(v) for v in values]


def test_real_world_addresses_of_the_tests() -> None:
    """The hand-written addresses of the suites' tests, and the shapes the shop generates."""
    real = [
        "anu.sharma@example.com",
        "ಅನು@ಉದಾಹರಣೆ.ಭಾರತ",
        "x@bücher.example",
        "no-at-sign.example.com",
        "two@@example.com",
        "trailing-dot@example.com.",
        "space in@example.com",
        "",
        "a@example.com",
        "B@Example.com",
        "not-an-address",
        "x@y",
        " c@d.org ",
        "é@exämple.de",
        "person0000@example.com",
        "ishaanmukherjee@yahoo.co.in",
        "  Ting_Chen@Gmail.Com",
        "Ahmed.Alotaibi@Free.Fr",
        "a@b.co.uk",
        "o'connor@btinternet.com",
        "a.b-c+d@mail-1.example.org",
        "a@localhost",
        "a@x.onion",
        "a@[1.2.3.4]",
        '"a b"@example.com',
        "Anu <anu@example.com>",
        "a@xn--bcher-kva.example",
        "a\udc80@example.com",
    ]
    assert validated(real) == [_validator_says(v) for v in real]
    assert (
        certainly_valid(pa.array(real[:1] + real[8:9] + real[14:15], pa.string())).to_pylist() == [True] * 3
    )
