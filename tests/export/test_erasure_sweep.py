"""The sweep of earlier exports: exact, read once per change of erasures, failing closed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipelines.export import erasure
from pipelines.export.erased import install_hmac
from pipelines.export.erasure import SweepFailed
from pipelines.export.scrub import PHONE_KEY, Scrubber, cell_texts, without
from pipelines.identity import install
from tests.export.factories import AS_OF, export, person, write_segments


def day(n: int) -> date:
    return AS_OF + timedelta(days=n)


def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    reads: list[Path] = []
    real: Callable[[Path], pl.DataFrame] = erasure._read

    def counted(path: Path) -> pl.DataFrame:
        reads.append(path)
        return real(path)

    monkeypatch.setattr(erasure, "_read", counted)
    return reads


def _holding(root: Path, email: str) -> list[str]:
    """Every export file or manifest that still carries `email` (or its customer id's parquet row)."""
    found = []
    for path in sorted((root / "exports").rglob("*")):
        csv = path.suffix == ".csv" and email in path.read_text(encoding="utf-8")
        if csv or (path.suffix == ".parquet" and email in pl.read_parquet(path)["email"].to_list()):
            found.append(path.relative_to(root).as_posix())
    return found


def test_a_folder_swept_against_the_current_erasures_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [person(i) for i in range(8)]
    erasures = [{"customer_id": people[2]["customer_id"]}]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=day(0))
    write_segments(tmp_path / "w.duckdb", people, people, erasures=erasures)
    export(tmp_path, as_of=day(1))  # sweeps day 0
    reads = _counting_reads(monkeypatch)
    export(tmp_path, as_of=day(1), run_id="rerun")  # same erasures, day 0 unchanged: nothing is read
    assert reads == []
    # a folder changed since (a restored or replaced file) is read again
    replaced = tmp_path / "exports" / day(0).isoformat() / "crm" / "champions.csv"
    replaced.write_bytes(replaced.read_bytes())
    export(tmp_path, as_of=day(1), run_id="rerun-2")
    assert {p.parent.parent.name for p in reads} == {day(0).isoformat()}
    reads.clear()
    # a new erasure: every earlier folder is swept again
    write_segments(tmp_path / "w.duckdb", people, people, erasures=[*erasures, {"email": people[5]["email"]}])
    export(tmp_path, as_of=day(2))
    assert {p.parent.parent.name for p in reads} == {day(0).isoformat(), day(1).isoformat()}


def test_a_newly_erased_person_still_leaves_every_earlier_folder(tmp_path: Path) -> None:
    people = [person(i) for i in range(8)]
    first, second = people[2], people[6]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=day(0))
    write_segments(tmp_path / "w.duckdb", people, people, erasures=[{"email": first["email"]}])
    export(tmp_path, as_of=day(1))
    export(tmp_path, as_of=day(2))  # every folder recorded as swept against the first erasure
    assert _holding(tmp_path, first["email"]) == []
    assert _holding(tmp_path, second["email"])  # not erased yet: still in the earlier lists
    both = [{"email": first["email"]}, {"customer_id": f"src-{second['customer_id']}"}]
    write_segments(tmp_path / "w.duckdb", people, people, erasures=both)
    export(tmp_path, as_of=day(3))  # their removal goes out today; the earlier folders lose them
    assert {p.split("/")[1] for p in _holding(tmp_path, second["email"])} == {day(3).isoformat()}
    export(tmp_path, as_of=day(4))
    assert _holding(tmp_path, second["email"]) == []
    assert _holding(tmp_path, first["email"]) == []


def _erased_by_dbt(path: Path, accounts: list[dict]) -> None:
    """What dbt leaves for an erasure that reached `accounts` without naming them (the one hop,
    the same mailbox): their int_customers_erased rows and their raw.customers rows."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists intermediate")
        con.execute(
            "create or replace table intermediate.int_customers_erased (source_customer_id varchar,"
            " customer_id varchar, email_key varchar, phone_key varchar)"
        )
        con.execute(
            "create or replace table raw.customers (customer_id varchar, email varchar, phone varchar,"
            " first_name varchar, last_name varchar)"
        )
        for p in accounts:
            ids = (f"src-{p['customer_id']}", p["customer_id"])
            con.execute(
                "insert into intermediate.int_customers_erased values (?, ?, ?, ?)",
                [*ids, p["email"], p["phone_e164"]],
            )
            con.execute(
                "insert into raw.customers values (?, ?, ?, ?, ?)",
                [ids[0], p["email"], p["phone_e164"], p["first_name"], p["last_name"]],
            )


def test_a_person_erased_without_being_named_leaves_every_earlier_folder(tmp_path: Path) -> None:
    # A request names one person; dbt also erases the account sharing their phone (the one
    # hop) and the marts lose it. That account's rows in earlier folders go as a named one's.
    people = [person(i) for i in range(8)]
    named, hop = people[2], {**people[5], "phone_e164": people[2]["phone_e164"]}
    people[5] = hop
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=day(0))
    assert _holding(tmp_path, hop["email"])
    left = [p for p in people if p not in (named, hop)]
    write_segments(tmp_path / "w.duckdb", left, left, erasures=[{"email": named["email"]}])
    _erased_by_dbt(tmp_path / "w.duckdb", [named, hop])
    export(tmp_path, as_of=day(1))  # their removal goes out today; the earlier folder loses them
    for gone in (named, hop):
        assert {p.split("/")[1] for p in _holding(tmp_path, gone["email"])} <= {day(1).isoformat()}
    assert _holding(tmp_path, people[0]["email"])  # nobody else's rows went


def test_an_earlier_folder_that_cannot_be_read_stops_the_export(tmp_path: Path) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people)
    export(tmp_path, as_of=day(0))
    broken = tmp_path / "exports" / day(0).isoformat() / "lake" / "win_back.parquet"
    broken.write_bytes(b"not parquet")
    write_segments(tmp_path / "w.duckdb", people, people, erasures=[{"email": people[1]["email"]}])
    with pytest.raises(
        SweepFailed, match=r"^export refused: cannot sweep erased people from .*2024-03-01: "
    ) as e:
        export(tmp_path, as_of=day(1))
    assert "\n" not in str(e.value)
    assert not (tmp_path / "exports" / day(1).isoformat()).exists()
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        statuses = con.execute(
            "select distinct status from exports.runs where as_of_date = $d", {"d": day(1)}
        )
        assert statuses.fetchall() == [("failed",)]


def _reference(frame: pl.DataFrame, forbidden: frozenset[str], digests: frozenset[str]) -> pl.DataFrame:
    """The sweep's rule cell by cell (the implementation before distinct-value judging)."""
    con = duckdb.connect()
    try:
        install(con)
        install_hmac(con)
        text = frame.with_row_index("_row").cast(pl.String)
        con.register("_cells", text.unpivot(index="_row").to_arrow())
        con.register("_f", pl.DataFrame({"t": sorted(forbidden)}, schema={"t": pl.String}).to_arrow())
        con.register("_d", pl.DataFrame({"d": sorted(digests)}, schema={"d": pl.String}).to_arrow())
        hits = con.execute(
            "with cells as (select _row, ltrim(trim(value), '''') as v from _cells),"
            " forms as (select _row, unnest([v, lower(v), rapport_email_key(v), rapport_phone_key(v)])"
            " as form from cells) select distinct _row::bigint from forms"
            " where form in (select t from _f) or rapport_hmac(lower(form)) in (select d from _d)"
        ).fetchall()
    finally:
        con.close()
    drop = [int(r) for (r,) in hits]
    return frame.with_row_index("_row").filter(~pl.col("_row").is_in(drop)).drop("_row")


def _digests(forms: list[str]) -> frozenset[str]:
    con = duckdb.connect()
    try:
        install_hmac(con)
        rows = con.execute("select rapport_hmac(lower(unnest($f::varchar[])))", {"f": forms}).fetchall()
    finally:
        con.close()
    return frozenset(d for (d,) in rows)


CELLS = st.sampled_from([
    "Ana.Silva+x@GoogleMail.com", " 'ana.silva@gmail.com ", "anasilva@gmail.com", "=cmd|' /C calc'!A0",
    "+91 98765 43210", "0091-98765-43210", "+919876543210", "Ravi Kumar", "रवि", "c0001", " c0001\u00a0",
    "C0001", "42.50", "", "'+4915100000", "İstanbul@Example.com", "istanbul@example.com",
])  # fmt: skip


@settings(max_examples=30)  # each example opens DuckDB connections
@given(
    rows=st.lists(st.tuples(CELLS, CELLS | st.none(), st.sampled_from([42, 7]) | st.none()), max_size=6),
    tokens=st.sets(CELLS | st.just("42"), max_size=3),
    remembered=st.lists(CELLS, max_size=2),
)
def test_distinct_value_judging_removes_exactly_the_rows_the_cell_rule_removes(
    rows: list[tuple[str, str | None, int | None]], tokens: set[str], remembered: list[str]
) -> None:
    forbidden = frozenset(tokens)
    digests = _digests(remembered) if remembered else frozenset()
    schema = {"a": pl.String, "b": pl.String, "n": pl.Int64}  # a parquet file's numbers are cells too
    frames = [
        pl.DataFrame(rows, schema=schema, orient="row"),
        pl.DataFrame(rows[::-1], schema=schema, orient="row"),
    ]
    scrubber = Scrubber(forbidden, digests)
    try:
        bad = scrubber.judge(cell_texts(f) for f in frames)
        kept = [without(f, bad) for f in frames]
        judged = scrubber.judged
        bad = scrubber.judge(cell_texts(f) for f in frames)  # a second folder: from what the first taught
        again = [without(f, bad) for f in frames]
        assert scrubber.judged == judged
    finally:
        scrubber.close()
    for frame, got, second in zip(frames, kept, again, strict=True):
        assert_frame_equal(got, _reference(frame, forbidden, digests))
        assert_frame_equal(second, got)


def test_a_remembered_key_is_found_through_every_form_of_a_cell() -> None:
    """Each form's keyed hash is looked up even when the text's other forms lower differently:
    the email key of a dotted, tagged googlemail address, the phone key of a spaced or 00-prefixed
    number, the lower case of an upper-case address (the sweep hashes each distinct lower form
    once per text, this is what that must not lose)."""
    remembered = _digests(["anasilva@gmail.com", "+919876543210", "istanbul@example.com"])
    cells = [
        "Ana.Silva+x@GoogleMail.com", "+91 98765 43210", "0091-98765-43210", "ISTANBUL@EXAMPLE.COM",
        "Ravi Kumar", "ana.silva@example.com", "+4915100000",
    ]  # fmt: skip
    frame = pl.DataFrame({"a": cells})
    scrubber = Scrubber(frozenset(), remembered)
    try:
        bad = scrubber.judge([cell_texts(frame)])
    finally:
        scrubber.close()
    assert sorted(bad) == sorted(cells[:4])
    assert_frame_equal(without(frame, bad), _reference(frame, frozenset(), remembered))


# digits of other scripts, '+', every kind of space, a line break, a combining mark, letters: what
# the phone key's count (one regex over the squashed text) may see
PHONE_TEXT = st.text(
    alphabet="0123456789+ -()\u00a0\u200b\t\n\u0338\u0663\uff11x@.\u0130\u00e9'", max_size=24
)


@settings(max_examples=200)
@given(
    texts=st.lists(
        PHONE_TEXT
        | st.sampled_from(
            ["+919876543210", "0091 98765 43210", "+12345678", "00123456789012345", "+123456789012345"]
        )
    )
)
def test_the_judge_computes_the_phone_key_only_where_there_can_be_one(texts: list[str]) -> None:
    """The judge's phone form (counted digits before the key's regex) is the phone key itself."""
    con = duckdb.connect()
    try:
        install(con)
        differ = con.execute(
            "select v from (select unnest($t::varchar[]) as v)"
            f" where ({PHONE_KEY}) is distinct from rapport_phone_key(v)",
            {"t": texts},
        ).fetchall()
    finally:
        con.close()
    assert differ == []
