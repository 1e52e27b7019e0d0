"""Every kind of bad input in the corpus, through the real two-phase load path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.load import BatchRejected
from tests.corpus.cases import BASE, CASES, Case
from tests.load.support import Site, has_schema


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Yesterday's clean batch, committed once; each case starts from a copy."""
    root = tmp_path_factory.mktemp("base")
    site = Site(root / "landing", root / "warehouse.duckdb")
    for rel, content in BASE.items():
        site.write(rel, content)
    site.load("r0")
    return site


def _site(tmp_path: Path, base: Site, case: Case) -> Site:
    shutil.copytree(base.landing, tmp_path / "landing")
    shutil.copy(base.warehouse, tmp_path / "warehouse.duckdb")
    site = Site(tmp_path / "landing", tmp_path / "warehouse.duckdb")
    if case.before:
        for rel, content in case.before:
            site.write(rel, content)
        site.load("r0b")
    site.write(case.path, case.content)
    return site


def test_the_corpus_has_at_least_30_distinct_kinds() -> None:
    assert len({c.name for c in CASES}) == len(CASES) >= 30
    assert len({c.content for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_bad_input_has_its_exact_outcome(tmp_path: Path, base: Site, case: Case) -> None:
    site = _site(tmp_path, base, case)
    before = site.query("select count(*) from raw.orders")
    if case.rejected is not None:
        with pytest.raises(BatchRejected) as caught:
            site.stage("r1")
        message = str(caught.value)
        # DuckDB's own words about an unreadable file vary by version; the rule and file do not
        assert message == case.rejected or message.startswith(case.rejected + " (")
        assert caught.value.source_file == case.path
        assert not has_schema(site.warehouse, "incoming")
        assert site.query("select count(*) from raw.orders") == before
        return
    staged, loaded = site.load("r1")
    found = site.query(
        "select source_line, column_name, reason from raw._quarantine where source_file = ?", [case.path]
    )
    assert set(found) == case.quarantined
    assert len(found) == len(case.quarantined), "one reason per defect"
    (ledger,) = site.query(
        "select rows_in, rows_loaded, rows_quarantined from raw._load_ledger where source_file = ?",
        [case.path],
    )
    bad_lines = len({line for line, _, _ in case.quarantined})
    assert ledger == (case.loaded + bad_lines, case.loaded, bad_lines)
    assert (loaded.rows_in, loaded.rows_loaded + loaded.rows_quarantined) == (ledger[0], ledger[0])
    assert tuple(c for f, c in staged.extra_columns if f == case.path) == case.extra
