"""Physical line numbers of CSV records (the numpy scan in pipelines.load.lines)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipelines.load.lines import number_rows, record_map


def _map(tmp_path: Path, content: bytes) -> tuple[list[int], list[bool]]:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    records = record_map(path)
    return records.first_line.tolist(), records.blank.tolist()


@pytest.mark.parametrize(
    ("content", "first_line", "blank"),
    [
        (b"a,b\n1,x\n2,y\n", [1, 2, 3], [False] * 3),
        (b"a,b\n1,x\n2,y", [1, 2, 3], [False] * 3),  # no final line break
        (b'a,b\n1,"x\ny\nz"\n2,y\n', [1, 2, 5], [False] * 3),  # three-line field
        (b'a,b\n1,"say ""hi""\n!"\n2,y\n', [1, 2, 4], [False] * 3),  # escaped quotes
        (b'a,b\r\n1,"x\r\ny"\r\n\r\n2,y\r\n', [1, 2, 4, 5], [False, False, True, False]),
        (b"a,b\n\n1,x\n\n", [1, 2, 3, 4], [False, True, False, True]),
        (b'\xef\xbb\xbf"a","b"\n1,"x\ny"\n2,y\n', [1, 2, 4], [False] * 3),  # BOM, quoted header
        (b'a,b\n1,12" screen\n2,"q\nr"\n3,z\n', [1, 2, 3, 5], [False] * 4),  # stray quote
    ],
)
def test_record_starts_are_physical_lines(
    tmp_path: Path, content: bytes, first_line: list[int], blank: list[bool]
) -> None:
    assert _map(tmp_path, content) == (first_line, blank)


def test_good_rows_skip_header_blank_lines_and_rejects(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    # records (DuckDB line numbers): 1 header, 2 good, 3 blank, 4 two-line good, 5 rejected, 6 good
    path.write_bytes(b'a,b\n1,x\n\n2,"p\nq"\n3,y,z\n4,w\n')
    numbered = number_rows(record_map(path), good_rows=3, rejected=np.array([5]))
    assert numbered.exact
    assert numbered.good.tolist() == [2, 4, 7]
    assert numbered.rejected.tolist() == [6]


def test_counts_that_do_not_reconcile_fall_back_to_record_numbers(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\n1,27"\n2,x\n3,y\n')  # a stray quote at a field edge fools the scan
    numbered = number_rows(record_map(path), good_rows=3, rejected=np.array([], dtype=np.int64))
    assert not numbered.exact
    assert numbered.good.tolist() == [2, 3, 4]
