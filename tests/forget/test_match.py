"""The Aho-Corasick pass over distinct values, with row filters and the id fast path, gives the
rule's answer: its id key is one of the ids, or its DuckDB lower case holds a text form."""

from __future__ import annotations

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.forget.match import Matcher, Scan
from pipelines.forget.tokens import Tokens
from pipelines.identity import install

# letters whose DuckDB lower case is ASCII (İ, the Kelvin sign), whitespace RE2/trim treat apart,
# regex metacharacters, '@' and digits, so forms occur, nest, overlap and sit beside spaces
ALPHABET = "aAbB1@.|(\\ \t\u00a0\u0130\u212ak"
cell = st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=8))
form = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def rule(
    con: duckdb.DuckDBPyConnection, values: list[str | None], ids: set[str], texts: set[str]
) -> list[bool]:
    """The rule as written before (tokens.py, main): per cell, in Python over DuckDB's own
    id key and lower case."""
    rows = con.execute(
        "select rapport_id_key(v), lower(v)"
        " from (select unnest($v::varchar[]) as v, generate_subscripts($v, 1) i) order by i",
        {"v": values},
    ).fetchall()
    lowered = {t.lower() for t in texts}
    return [
        v is not None and (key in ids or any(t in low for t in lowered))
        for v, (key, low) in zip(values, rows, strict=True)
    ]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(cell, min_size=1, max_size=12),
    ids=st.sets(form, max_size=3),
    texts=st.sets(form, max_size=3),
    hashes=st.sets(st.text(alphabet="ab1", min_size=1, max_size=3), max_size=2),
    split=st.integers(min_value=0, max_value=12),
)
def test_the_matcher_gives_the_rule(
    values: list[str | None],
    ids: set[str],
    texts: set[str],
    hashes: set[str],
    split: int,
) -> None:
    con = duckdb.connect()
    install(con)
    con.execute("create table t (i int, c varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(values)))
    # the first tokens everywhere, the others only in rows from `split` on (a row filter)
    first, second = Tokens(frozenset(ids), frozenset(texts)), Tokens(texts=frozenset(hashes))
    matcher = Matcher(con, "t", [Scan(first), Scan(second, f"i >= {split}")])
    # NULL (an empty cell has no id key) selects nothing, as false does
    got = [bool(flag) for (flag,) in con.execute(f"select {matcher.cell('c')} from t order by i").fetchall()]
    matcher.close()
    everywhere = rule(con, values, ids, texts)
    later = rule(con, values, set(), hashes)
    assert got == [a or (b and i >= split) for i, (a, b) in enumerate(zip(everywhere, later, strict=True))]


def test_an_id_is_matched_whole_with_any_whitespace_trimmed() -> None:
    con = duckdb.connect()
    install(con)
    values = ["C1", " C1\u00a0", "C10", "xC1", "c1", "\u2003C1"]
    con.execute("create table t as select unnest($v::varchar[]) as c", {"v": values})
    matcher = Matcher(con, "t", [Scan(Tokens(ids=frozenset({"C1"})))])
    got = con.sql(f"select c, {matcher.cell('c')} as hit from t").pl()
    assert dict(got.iter_rows()) == {"C1": True, " C1\u00a0": True, "C10": False, "xC1": False, "c1": False,
                                     "\u2003C1": True}  # fmt: skip
