"""Physical line numbers of one CSV scan, as a few breakpoints per file instead of one per row.

DuckDB numbers rejected records (header = line 1) but not good rows. Row k of a file (its k-th
good row) sits on line `k + 1 + shift`, where shift is the number of rejected records, blank
lines and extra lines of multi-line quoted fields before it. The shift only changes at those
places, so a file is described by `(from_ord, shift)` breakpoints, joined to the rows by an
ASOF join in DuckDB.

Most files need no numpy scan: when a file has no quote character, its physical line count
equals the records DuckDB saw (header + good + rejected) and no lone CR ends a record, every
line is exactly one record, so DuckDB's reject line numbers are physical lines and the shift
is the number of rejects before a row. Only the other files (quotes, blank lines, odd line
endings, UTF-16) go through lines.record_map, which reads the file into numpy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from pipelines.load.lines import number_rows, record_map


@dataclass
class Shifts:
    """Breakpoints and reject line numbers of one scan, per file index (see module docstring)."""

    file_idx: list[int] = field(default_factory=list)
    from_ord: list[int] = field(default_factory=list)
    shift: list[int] = field(default_factory=list)
    # rejected records whose line is not DuckDB's record number (only files that were mapped)
    reject_idx: list[int] = field(default_factory=list)
    reject_rec: list[int] = field(default_factory=list)
    reject_line: list[int] = field(default_factory=list)
    rows_in: dict[str, int] = field(default_factory=dict)
    approximate: list[str] = field(default_factory=list)
    mapped: int = 0  # files that needed record_map

    def add(self, idx: int, good: np.ndarray) -> None:
        """Breakpoints of the good rows' physical lines `good` (in file order)."""
        shift = good - np.arange(2, good.size + 2, dtype=np.int64)
        change = np.flatnonzero(np.diff(shift, prepend=0) != 0)
        self.file_idx += [idx] * change.size
        self.from_ord += (change + 1).tolist()
        self.shift += shift[change].tolist()


def lines_are_records(path: Path, records: int, quote: str, encoding: str) -> bool:
    """True when the file has no quote character and exactly `records` physical lines, each
    ended by LF or CRLF. (Quoted files could qualify too, but record_map also flags the ones
    whose quotes it cannot pair, and that warning is kept.)"""
    if encoding.startswith("utf-16"):  # 0x0A bytes inside other characters
        return False
    data = path.read_bytes()
    if quote.encode(encoding) in data:
        return False
    lines = data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return lines == records and data.count(b"\r") == data.count(b"\r\n")


def _rejected_shift(rejected: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints when lines are records: the j-th reject (line r_j) follows r_j - 1 - j good rows."""
    j = np.arange(1, rejected.size + 1, dtype=np.int64)
    from_ord = rejected - j
    last = np.append(from_ord[1:] != from_ord[:-1], True)[: from_ord.size]  # consecutive: keep the last
    return from_ord[last], j[last]


def line_shifts(
    files: list[tuple[Path, str, str, str, str]], good: dict[str, int], rejected: dict[str, list[int]]
) -> Shifts:
    """Shifts of a scan's files (path, source_file, delimiter, quote, encoding), given DuckDB's
    good-row count and sorted distinct reject lines per path."""
    out = Shifts()
    for idx, (path, source_file, delimiter, quote, encoding) in enumerate(files):
        n_good = good.get(str(path), 0)
        recs = np.array(rejected.get(str(path), []), dtype=np.int64)
        out.rows_in[source_file] = n_good + recs.size
        if lines_are_records(path, 1 + n_good + recs.size, quote, encoding):
            from_ord, shift = _rejected_shift(recs)
            out.file_idx += [idx] * from_ord.size
            out.from_ord += from_ord.tolist()
            out.shift += shift.tolist()
            continue
        out.mapped += 1
        numbered = number_rows(record_map(path, delimiter, quote), n_good, recs)
        if not numbered.exact:
            out.approximate.append(source_file)
        out.add(idx, numbered.good)
        out.reject_idx += [idx] * recs.size
        out.reject_rec += recs.tolist()
        out.reject_line += numbered.rejected.tolist()
    return out
