"""GX fed from DuckDB (the incoming gate's path) gives GX's own results on a pandas frame.

Every expectation type the DuckDB metrics cover, on batches with nulls, NaN, duplicates,
strings that Python's `re` and DuckDB's RE2 judge differently, equal and swapped timestamps:
our outcomes and GX's validation results must be the same, field for field.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from expectations.suites import critical, warning
from pipelines.quality.duckdb_batch import DuckDBBatch, copy_batch
from pipelines.quality.duckdb_engine import SUPPORTED
from pipelines.quality.duckdb_metrics import metric_value
from pipelines.quality.duckdb_open import hold
from pipelines.quality.runner import run_suite

LINEAGE = ("_source_file", "_source_line")
STRINGS = ["EUR", "eu", "EUR\n", "E\u00a0R", "a@b.co", "a b@c.d", "x@y\u2003z.q", "", "INR", None]
DAYS = [datetime(2024, 1, d) for d in (1, 2, 3)] + [None]


def _suite() -> gx.ExpectationSuite:
    expectations = [
        gxe.ExpectColumnToExist(column="k", meta=critical("k")),
        gxe.ExpectColumnToExist(column="absent", meta=critical("absent")),
        gxe.ExpectColumnValuesToNotBeNull(column="k", meta=critical("k")),
        gxe.ExpectColumnValuesToNotBeNull(column="x", meta=warning("x")),
        gxe.ExpectColumnValuesToNotBeNull(column="absent", meta=warning("absent")),
        gxe.ExpectColumnValuesToBeNull(column="s", meta=warning("s")),
        gxe.ExpectColumnValuesToBeUnique(column="k", meta=critical("k")),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["_source_file", "k"], meta=critical("fk")),
        gxe.ExpectColumnValuesToBeInSet(column="s", value_set=["EUR", "INR"], meta=critical("s")),
        gxe.ExpectColumnValuesToBeInSet(column="b", value_set=[False], meta=critical("b")),
        gxe.ExpectColumnValuesToBeBetween(column="x", min_value=0, max_value=10, meta=critical("x")),
        gxe.ExpectColumnValuesToBeBetween(column="d", min_value=0, meta=warning("d")),
        gxe.ExpectColumnValuesToBeBetween(column="i", min_value=1, max_value=5, meta=critical("i")),
        gxe.ExpectColumnValuesToMatchRegex(column="s", regex=r"^[A-Z]{3}$", meta=warning("s")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="s", regex=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", meta=warning("e")
        ),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="t2",
            column_B="t1",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=warning("t"),
        ),
        gxe.ExpectColumnMaxToBeBetween(column="t1", max_value=datetime(2024, 1, 2), meta=critical("t1")),
        gxe.ExpectColumnMinToBeBetween(column="t1", min_value=datetime(2024, 1, 2), meta=warning("t1")),
        gxe.ExpectTableRowCountToBeBetween(min_value=1, max_value=20, meta=warning("size")),
    ]
    assert {e.expectation_type for e in expectations} == SUPPORTED  # every covered type is tested
    return gx.ExpectationSuite(name="mixed", expectations=expectations)


def _gx_results(run_dir: Path) -> list[dict]:
    (path,) = (run_dir / "gx" / "validations").rglob("*.json")
    found = json.loads(path.read_text())
    for result in found["results"]:  # a traceback names the engine's own frames; its message stays
        for info in result["exception_info"].values():
            if isinstance(info, dict):
                info.pop("exception_traceback", None)
        result["exception_info"].pop("exception_traceback", None)
        del result["expectation_config"]["id"]  # random per run
    return sorted(found["results"], key=lambda r: json.dumps(r, sort_keys=True))


row = st.tuples(
    st.sampled_from(["a", "b", "c", None]),  # k
    st.sampled_from(STRINGS),  # s
    st.sampled_from([0.0, 5.5, -1.0, 11.0, float("nan"), None]),  # x (double)
    st.sampled_from([-1.5, 0, 2.25, None]),  # d (decimal)
    st.sampled_from([0, 1, 5, 6, None]),  # i
    st.sampled_from([True, False, None]),  # b
    st.sampled_from(DAYS),  # t1
    st.sampled_from(DAYS),  # t2
    st.sampled_from(["f1.csv", "f2.csv"]),  # _source_file
)


def _store(con: duckdb.DuckDBPyConnection, rows: list[tuple], lines: list[int]) -> None:
    """The generated rows as the staged table incoming.x, row k on source line lines[k]."""
    con.execute(
        "create schema incoming; create table incoming.x (k varchar, s varchar, x double,"
        " d decimal(18,2), i integer, b boolean, t1 timestamp, t2 timestamp,"
        " _source_file varchar, _source_line bigint)"
    )
    con.executemany(
        "insert into incoming.x values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*r, line) for r, line in zip(rows, lines, strict=True)],
    )


# both GX-equality properties: a dozen batches each, one tmp folder per example
EXAMPLES = settings(
    max_examples=12,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@EXAMPLES
@given(rows=st.lists(row, min_size=1, max_size=14))
def test_duckdb_metrics_give_gx_results_identical_to_pandas(
    rows: list[tuple], tmp_path_factory: pytest.TempPathFactory
) -> None:
    tmp = tmp_path_factory.mktemp("m")
    with duckdb.connect(str(tmp / "w.duckdb")) as con:
        _store(con, rows, [n + 2 for n in range(len(rows))])
        query = "select t.* from incoming.x t"
        frame = con.sql(query).df()  # as the gate read a batch before
        batch = copy_batch(con, query, tmp / "batch.duckdb")
    pandas = run_suite(_suite(), frame, "incoming.x", "r", tmp / "p", LINEAGE, data_docs=False)
    duck = run_suite(_suite(), batch, "incoming.x", "r", tmp / "d", LINEAGE, data_docs=False)
    assert duck == pandas
    assert _gx_results(tmp / "d") == _gx_results(tmp / "p")


def test_a_metric_the_duckdb_engine_does_not_compute_is_a_clear_error() -> None:
    con = duckdb.connect()
    con.execute("create table batch as select 'a@b.co' as e")
    with pytest.raises(ValueError, match=r"^metric condition 'column_values.rapport_valid_email' is not "):
        metric_value(
            con, "column_values.rapport_valid_email.unexpected_count", {"column": "e"}, {}, {"e": "VARCHAR"}
        )


def test_a_regex_reads_and_tests_the_batch_values_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GX asks for a failing regex's count and then, in another call, its examples: the distinct
    values are read and tested once per batch (at 1M, twice was ~1.7M `re.search` calls more)."""
    from pipelines.quality import duckdb_metrics

    reads: list[tuple[str, str]] = []
    real = duckdb_metrics._bad_matches

    def counted(con: duckdb.DuckDBPyConnection, column: str, regex: str, types: dict[str, str]) -> list[str]:
        reads.append((column, regex))
        return real(con, column, regex, types)

    monkeypatch.setattr(duckdb_metrics, "_bad_matches", counted)
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        con.execute("create table x as select * from (values ('EUR', 'f', 2), ('eu', 'f', 3), ('x', 'f', 4))"
                    " t(s, _source_file, _source_line)")  # fmt: skip
        batch = copy_batch(con, "select * from x order by _source_line", tmp_path / "batch.duckdb")
    suite = gx.ExpectationSuite(
        name="re",
        expectations=[
            gxe.ExpectColumnValuesToMatchRegex(column="s", regex=r"^[A-Z]{3}$", meta=warning("s")),
            gxe.ExpectColumnValuesToMatchRegex(column="s", regex=r"^[a-z]+$", meta=warning("t")),
        ],
    )
    result = run_suite(suite, batch, "incoming.x", "r", tmp_path / "d", LINEAGE, data_docs=False)
    assert [o.unexpected_count for o in result.results] == [2, 1]
    assert all(o.examples for o in result.results)  # the examples were asked for, after the counts
    assert sorted(reads) == [("s", r"^[A-Z]{3}$"), ("s", r"^[a-z]+$")]


@EXAMPLES
@given(rows=st.lists(row, min_size=1, max_size=14))
def test_a_batch_read_in_place_gives_gx_results_identical_to_pandas(
    rows: list[tuple], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The gate's batch is a view over the staged rows, in lineage order: stored in another order
    here (files interleaved), so each example's position must be found by its lineage."""
    tmp = tmp_path_factory.mktemp("v")
    with duckdb.connect(str(tmp / "w.duckdb")) as con:
        _store(con, rows, [30 - n for n in range(len(rows))])  # descending: stored order is not lineage's
        query = "select t.* from incoming.x t"
        frame = con.sql(f"{query} order by t._source_file, t._source_line").df()  # the gate's order
        with hold("w", con):
            batch = DuckDBBatch("w", tuple(frame.columns), len(rows), query, LINEAGE)
            duck = run_suite(_suite(), batch, "incoming.x", "r", tmp / "d", LINEAGE, data_docs=False)
    pandas = run_suite(_suite(), frame, "incoming.x", "r", tmp / "p", LINEAGE, data_docs=False)
    assert duck == pandas
    assert _gx_results(tmp / "d") == _gx_results(tmp / "p")
