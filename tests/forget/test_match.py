"""The Aho-Corasick passes over distinct values (shared by several columns and tables), with row
filters and the id fast path, give the rule's answer: its id key is one of the ids, or its DuckDB
lower case holds a text form."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from unittest.mock import patch

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.forget import match
from pipelines.forget import values as values_module
from pipelines.forget.ids import is_id
from pipelines.forget.match import Cells, Column, Scan, hits
from pipelines.forget.tokens import Tokens
from pipelines.forget.values import values_sql
from pipelines.identity import install

# letters whose DuckDB lower case is ASCII (İ, the Kelvin sign), whitespace RE2/trim treat apart,
# regex metacharacters, '@' and digits, so forms occur, nest, overlap and sit beside spaces
ALPHABET = "aAbB1@.|(\\ \t\u00a0\u0130\u212ak"
cell = st.one_of(st.none(), st.text(alphabet=ALPHABET, max_size=8))
form = st.text(alphabet=ALPHABET, min_size=1, max_size=4)


def at_a_boundary(low: str, form: str) -> bool:
    """bounds.py's rule written as regular expressions: an e-mail not inside a longer address, a
    phone not followed by a digit, any other text not inside a longer word."""
    e = re.escape(form)
    if "@" in form:
        pattern = rf"(?<![\w.+\-]){e}(?![\w\-]|\.[\w\-])"
    elif re.fullmatch(r"\+?[0-9]+", form):
        pattern = rf"{e}(?!\d)"
    else:
        pattern = rf"(?<![^\W_]){e}(?![^\W_])"
    return re.search(pattern, low) is not None


def rule(
    con: duckdb.DuckDBPyConnection, values: list[str | None], ids: set[str], texts: set[str]
) -> list[bool]:
    """The rule, per cell, in Python over DuckDB's own id key and lower case: an id whole, a text
    form at a boundary of its kind."""
    rows = con.execute(
        "select rapport_id_key(v), lower(v)"
        " from (select unnest($v::varchar[]) as v, generate_subscripts($v, 1) i) order by i",
        {"v": values},
    ).fetchall()
    lowered = {t.lower() for t in texts}
    return [
        v is not None and (key in ids or any(at_a_boundary(low, t) for t in lowered))
        for v, (key, low) in zip(values, rows, strict=True)
    ]


@settings(max_examples=100, deadline=None)
@given(
    values=st.lists(cell, min_size=1, max_size=12),
    ids=st.sets(form, max_size=3),
    texts=st.sets(form, max_size=3),
    hashes=st.sets(st.text(alphabet="ab1", min_size=1, max_size=3), max_size=2),
    split=st.integers(min_value=0, max_value=12),
    batch=st.sampled_from([1, 3, 1_000_000]),
    gathered=st.booleans(),
)
def test_the_matcher_gives_the_rule(
    values: list[str | None],
    ids: set[str],
    texts: set[str],
    hashes: set[str],
    split: int,
    batch: int,
    gathered: bool,
) -> None:
    # gathered: as if the cells outgrew the cap, each table's distinct values go through a file
    with patch.object(values_module, "CELL_BYTES", 10**15 if gathered else values_module.CELL_BYTES):
        _matcher_gives_the_rule(values, ids, texts, hashes, split, batch)


def _matcher_gives_the_rule(
    values: list[str | None], ids: set[str], texts: set[str], hashes: set[str], split: int, batch: int
) -> None:
    con = duckdb.connect()
    install(con)
    con.execute("create table t (i int, c varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(values)))
    # a second table and column with other values: their batches share the passes with t's
    con.execute("create table u as select i, c || 'x' as d, 'zz' as e from t")
    # the first tokens everywhere, the others only in rows from `split` on (a row filter)
    first, second = Tokens(frozenset(ids), frozenset(texts)), Tokens(texts=frozenset(hashes))
    scans = [Scan(first), Scan(second, f"i >= {split}")]
    columns = [Column(t, c, s) for t, c in (("u", "d"), ("t", "c"), ("u", "e")) for s in scans]
    found = hits(con, columns, batch)  # small batches: passes over several columns' values
    cells = Cells(con)
    parts = list(zip(columns, found, strict=True))
    tests = {(t, c): cells.cell([p for p in parts if (p[0].table, p[0].name) == (t, c)]) for t, c in
             (("t", "c"), ("u", "d"), ("u", "e"))}  # fmt: skip
    # NULL (an empty cell has no id key) selects nothing, as false does
    got = [
        bool(flag)
        for (flag,) in con.execute(f"select {tests['t', 'c'] or 'false'} from t order by i").fetchall()
    ]
    got_d = [
        bool(f) for (f,) in con.execute(f"select {tests['u', 'd'] or 'false'} from u order by i").fetchall()
    ]
    got_e = [
        bool(f) for (f,) in con.execute(f"select {tests['u', 'e'] or 'false'} from u order by i").fetchall()
    ]
    cells.close()
    for got_c, column in ((got, values), (got_d, [None if v is None else v + "x" for v in values]),
                          (got_e, ["zz"] * len(values))):  # fmt: skip
        everywhere = rule(con, column, ids, texts)
        later = rule(con, column, set(), hashes)
        assert got_c == [
            a or (b and i >= split) for i, (a, b) in enumerate(zip(everywhere, later, strict=True))
        ]


def test_an_id_is_matched_whole_with_any_whitespace_trimmed() -> None:
    con = duckdb.connect()
    install(con)
    values = ["C1", " C1\u00a0", "C10", "xC1", "c1", "\u2003C1"]
    con.execute("create table t as select unnest($v::varchar[]) as c", {"v": values})
    column = Column("t", "c", Scan(Tokens(ids=frozenset({"C1"}))))
    cells = Cells(con)
    test = cells.cell([(column, hits(con, [column])[0])])
    got = con.sql(f"select c, coalesce({test}, false) as hit from t").pl()
    assert dict(got.iter_rows()) == {"C1": True, " C1\u00a0": True, "C10": False, "xC1": False, "c1": False,
                                     "\u2003C1": True}  # fmt: skip


def test_the_id_test_in_polars_gives_duckdbs_rule_on_odd_values() -> None:
    """ids.py: a hash look-up for values with printable ASCII ends, DuckDB's rule for the rest."""
    con = duckdb.connect()
    install(con)
    values = ["C1", "", " ", "\tC1", "C1\u3000", "Ç1", " Ç1 ", "C1 x", "é", "C1\u200b", "\u200bC1"]
    ids = ["C1", "Ç1"]
    rule_says = con.execute(
        "select rapport_id_key(v) in (select unnest($ids::varchar[])) from"
        " (select unnest($v::varchar[]) as v, generate_subscripts($v, 1) i) order by i",
        {"v": values, "ids": ids},
    ).fetchall()
    got = is_id(con, pl.Series(values, dtype=pl.String), pl.Series(ids, dtype=pl.String))
    assert got.to_list() == [bool(flag) for (flag,) in rule_says]
    assert got.to_list() == [True, False, False, True, True, True, True, False, False, True, True]


def test_every_columns_values_are_read_once_for_all_token_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two token sets (raw: new forms in every row, old ones in new files) share one read of the
    columns' values; each scan still gets only its own forms' values, in its own rows."""
    con = duckdb.connect()
    install(con)
    con.execute(
        "create table t as select * from (values (1, 'a@x.io'), (2, 'b@y.io'), (3, 'b@y.io!')) v(i, c)"
    )
    reads: list[str] = []
    real = match.distinct_theirs

    def spy(con: duckdb.DuckDBPyConnection, union: str, tokens: Tokens, batch_rows: int) -> list[str]:
        if " from t " in union:
            reads.append(union)
        return real(con, union, tokens, batch_rows)

    monkeypatch.setattr(match, "distinct_theirs", spy)
    scans = [Scan(Tokens(texts=frozenset({"a@x.io"}))), Scan(Tokens(texts=frozenset({"b@y.io"})), "i >= 3")]
    found = hits(con, [Column("t", "c", s) for s in scans])
    assert [sorted(f) for f in found] == [["a@x.io"], ["b@y.io!"]]
    assert len(reads) == 1


def _small_tables_then_a_big_one(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Seven small tables, then a big one of distinct values: the order that ran out of memory."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"), config={"temp_directory": str(tmp_path / "spill")})
    install(con)
    for i in range(7):
        con.execute(f"create table small{i} as select 'x' || (range % 1000) || '_{i}' as c from range(10000)")
    con.execute(
        "create table zbig as select 'customer-' || md5(range::varchar) as c, 'other-' || range as d"
        " from range(1000000)"
    )
    return con


def test_columns_whose_cells_outgrow_the_cap_are_gathered_per_table_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB's distinct of a union stops spilling once a small branch has finished: small tables
    then a big one under a tight cap ran out of memory (forget at 10M customers under 2GB). Over
    the cap, the tables come in groups, each group's distinct one pipeline; the hits are those of
    one uncapped union, and a killed run's value files are gone afterwards."""
    con = _small_tables_then_a_big_one(tmp_path)
    whole = "customer-c4ca4238a0b923820dcc509a6f75849b"  # 'customer-' || md5('1'): a form is a whole value
    scan = Scan(Tokens(ids=frozenset({"other-77"}), texts=frozenset({"x7_3", whole})))
    columns = [Column(f"small{i}", "c", scan) for i in range(7)] + [Column("zbig", n, scan) for n in "cd"]
    stale = tmp_path / "spill" / "forget-values" / "0000.parquet"  # a killed run's: everyone's values
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"PAR1")
    expected = [sorted(f) for f in hits(con, columns)]  # uncapped: the one union
    assert expected[3] == ["x7_3"] and expected[-1] == ["other-77"] and len(expected[-2]) == 1
    assert not stale.parent.exists()
    con.execute("set memory_limit = '50MB'")
    # 41-character values, every one distinct: far more than CELL_BYTES a cell, which the warehouse's
    # union (a customer id in ~35 columns) needs; the rule is calibrated on that, not on this
    monkeypatch.setattr(values_module, "CELL_BYTES", 100)
    assert [sorted(f) for f in hits(con, columns)] == expected
    assert (tmp_path / "spill").is_dir() and not (tmp_path / "spill" / "forget-values").exists()
    monkeypatch.setattr(values_module, "CELL_BYTES", 0)  # the one union, whatever the size
    with pytest.raises(duckdb.OutOfMemoryException):
        hits(con, columns)


def test_values_over_the_cap_come_in_groups_of_columns_by_name_each_its_own_distinct(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One distinct over every table's values spilled 21-27 GB at 10M customers under the 2GB cap,
    and stop 22's hash parts wrote every table's distinct values to Parquet first (the most of
    forget's hit search at 3M): over the cap the columns are packed into groups whose cells fit it,
    each group a query of its own (its spill freed when it ends), a column over the cap alone as
    one pipeline; together every value. They are packed by column name, not by table: the values
    same-named columns share (a customer id in ~40 tables) meet in one group, tested once."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"), config={"temp_directory": str(tmp_path / "spill")})
    con.execute("create table a as select 'v' || (range % 50000) as c, 'w' || range as d from range(200000)")
    con.execute("create table b as select 'v' || (range % 70000) as c from range(100000)")
    con.execute("create table s as select 'v' || range as c from range(1000)")
    con.execute("create table t as select 'x' || range as c from range(1000)")
    pairs = [("a", "c"), ("a", "d"), ("b", "c"), ("s", "c"), ("t", "c")]
    every = {v for (v,) in con.execute(" union ".join(f"select {n} from {t}" for t, n in pairs)).fetchall()}
    con.execute("set memory_limit = '50MB'")
    monkeypatch.setattr(values_module, "CELL_BYTES", 100)  # 502k cells: 50 MB against a cap of 47.7 MiB
    with values_sql(con, pairs) as parts:
        assert not (tmp_path / "spill" / "forget-values").exists()  # nothing written first
        drawn = [
            (part, [v for (v,) in con.execute(f"select distinct v from ({part})").fetchall()])
            for part in parts
        ]
    # the c columns of a, b, s and t (302k cells) fill a group: each a distinct into one temporary
    # table, read as one pipeline, dropped after; then a.d alone (table order put a's c and d
    # together and b's c in the next group: v0 ... v49999 drawn twice)
    assert set().union(*(seen for _, seen in drawn)) == every
    assert sum(len(seen) for _, seen in drawn) == len(every)  # no value in two groups
    assert len(drawn) == 2 and drawn[0][0].startswith("select v from _forget_group_")
    assert drawn[1][0] == "select d as v from a where d is not null"
    assert not con.execute("select * from duckdb_tables() where table_name like '_forget_group%'").fetchall()
    monkeypatch.setattr(values_module, "CELL_BYTES", 1000)  # 50k cells a group: every name over it
    with values_sql(con, pairs) as parts:
        drawn = [
            (part, [v for (v,) in con.execute(f"select distinct v from ({part})").fetchall()])
            for part in parts
        ]
    # a name's columns are never split over groups, even over the budget: `c` (302k cells) is one
    # group, so v0 ... v69999 are drawn once (split, `customer_id` was tested in each of its groups)
    assert len(drawn) == 2 and drawn[0][0].startswith("select v from _forget_group_")
    assert drawn[1][0] == "select d as v from a where d is not null"
    assert sorted(drawn[0][1]) == sorted({f"v{i}" for i in range(70000)} | {f"x{i}" for i in range(1000)})
    assert set().union(*(seen for _, seen in drawn)) == every
    assert sum(len(seen) for _, seen in drawn) == len(every)
    monkeypatch.setattr(values_module, "CELL_BYTES", 0)  # under the cap: the one union
    with values_sql(con, pairs) as parts:
        assert [part.count("union all") for part in parts] == [4]


def test_a_group_of_small_tables_and_a_big_one_spills_under_the_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's union ran out of memory at 3M customers under the default cap: DuckDB's distinct
    of a union stops spilling once a small branch has finished, and a group's small tables came
    before a big one. Each group's distinct is now one pipeline (its tables' distincts gathered in a
    temporary table first), so it spills; the hits are those of one uncapped union."""
    con = _small_tables_then_a_big_one(tmp_path)
    con.execute("create table zz as select 'z' || range as c from range(1000000)")
    whole = "customer-c4ca4238a0b923820dcc509a6f75849b"  # 'customer-' || md5('1')
    scan = Scan(Tokens(ids=frozenset({"other-77", "z5"}), texts=frozenset({"x7_3", whole})))
    tables = [f"small{i}" for i in range(7)]
    columns = (
        [Column(t, "c", scan) for t in tables]
        + [Column("zbig", n, scan) for n in "cd"]
        + [Column("zz", "c", scan)]
    )
    expected = [sorted(f) for f in hits(con, columns)]  # uncapped: the one union
    assert expected[3] == ["x7_3"] and expected[-3:] == [[whole], ["other-77"], ["z5"]]
    con.execute("set memory_limit = '50MB'")
    # 2.1M cells a group: the small tables and zbig (2.07M cells) in one, zz (1M) in the next
    monkeypatch.setattr(values_module, "CELL_BYTES", 24)
    with values_sql(con, [(c.table, c.name) for c in columns]) as parts:
        assert len(list(parts)) == 2
    assert [sorted(f) for f in hits(con, columns)] == expected


def test_each_form_is_found_by_the_pass_its_characters_allow() -> None:
    """An Aho-Corasick pass scans a value only with the forms that can occur in it (a form with '@'
    only in a value with '@'; a form of 64 bytes or more, the hashes, only in a value as long): every
    kind is still found alone, mixed, at the lengths' edge, and in long values without '@'."""
    con = duckdb.connect()
    install(con)
    digest = hashlib.sha256(b"anna@x.com").hexdigest()
    theirs = [
        digest,  # 64 bytes: exactly a hash's length
        f"id={digest};",
        f"Anna@X.com {digest}",
        "write to Anna@x.com.",
        "anna smith <anna@x.com>",
        "ANNA SMITH",
        "+447700900123",
        "x" * 80 + " anna smith",  # long, no '@': the short forms too
        "İ" * 40 + " +447700900123",  # long in bytes, not in characters
        f"0x{digest}ab",  # a hash inside a longer run of hex digits: found by its window
        f"ABC{digest.upper()}|{digest[:40]}",  # in upper case, beside a part of itself
    ]
    others = [
        digest[:63],
        f"{digest[:32]}-{digest[32:]}",  # split by a character that is no hex digit
        f"{digest[:63]}g{digest[1:]}",
        "joanna smithers",
        "x" * 80 + "anna smith",
        "+4477009001234",
        "anna@x.community",
    ]
    con.execute("create table t as select unnest($v::varchar[]) as c", {"v": theirs + others})
    texts = frozenset({"anna@x.com", "anna smith", "+447700900123"})
    tokens = Tokens(frozenset({"c-1"}), texts, frozenset({digest}))
    for batch in (1, 1_000_000):
        assert sorted(hits(con, [Column("t", "c", Scan(tokens))], batch)[0]) == sorted(theirs)
