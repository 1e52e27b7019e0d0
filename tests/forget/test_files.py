"""The one-pass token search finds what the whole alternation finds, byte for byte."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.forget.files import _redact, pattern, redacted
from pipelines.forget.tokens import Tokens

# a small alphabet so tokens really occur, overlap, nest and touch word characters
ALPHABET = "aAbBc1-_ .@\x00é\u0130"
word = st.text(alphabet=ALPHABET, min_size=1, max_size=6)


def reference(data: bytes, tokens: Tokens) -> bytes | None:
    """The rule as written before: the alternation of every token, searched in every file."""
    found = pattern(tokens)
    return _redact(data, found) if found.search(data) else None


@settings(max_examples=300, deadline=None)
@given(
    ids=st.frozensets(word, max_size=4),
    texts=st.frozensets(word, max_size=4),
    hashes=st.frozensets(st.text(alphabet="abc0", min_size=2, max_size=5), max_size=2),
    files=st.lists(st.text(alphabet=ALPHABET, max_size=40), min_size=1, max_size=4),
    binary=st.booleans(),
)
def test_redacted_equals_the_whole_alternation(
    ids: frozenset[str], texts: frozenset[str], hashes: frozenset[str], files: list[str], binary: bool
) -> None:
    tokens = Tokens(ids, texts, hashes)
    if not tokens.all():
        return
    data = [("\x00" if binary else "") + f for f in files]
    encoded = [d.encode("utf-8") for d in data]
    assert redacted(encoded, tokens) == [reference(d, tokens) for d in encoded]


def test_an_id_is_redacted_whole_in_any_ascii_case_and_a_longer_id_is_left() -> None:
    tokens = Tokens(ids=frozenset({"C1"}), texts=frozenset({"anna@example.com"}))
    got = redacted([b"c1,C10,x-C1y,C1\n", b"ANNA@Example.COM", b"nobody"], tokens)
    assert got == [b"[erased],C10,x-C1y,[erased]\n", b"[erased]", None]
