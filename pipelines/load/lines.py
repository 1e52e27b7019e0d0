"""Physical line numbers of CSV records.

DuckDB numbers records, not lines: its reject table's `line` counts unquoted newlines, so a
record after a quoted field spanning three lines is two lines further down than DuckDB
says, and good rows carry no number at all. The file's bytes are scanned once with numpy
to find where every record starts:

* a newline ends a record when an even number of structural quotes precede it;
* a quote with an ordinary byte on both sides (`12" screen`, `ab"c`) is literal text, as
  DuckDB reads it, and does not count; every quote of a well-formed RFC 4180 field touches a
  delimiter, a line break, the file edge or its escaping twin, so those still count;
* an empty line (or a lone CR) is a record DuckDB skips without a row or a reject.

Good rows are the records that are neither blank nor rejected, in file order. When the
count does not reconcile with what DuckDB read (a stray quote at a field edge), the scan
falls back to DuckDB's record numbers and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Ints = npt.NDArray[np.int64]
_NL, _CR = ord("\n"), ord("\r")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RecordMap:
    first_line: Ints  # 1-based physical line each record starts on; [0] is the header
    blank: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Numbered:
    good: Ints  # physical line of each good row, in file order
    rejected: Ints  # physical line of each rejected record, aligned with the input
    exact: bool


def record_map(path: Path, delimiter: str = ",", quote: str = '"') -> RecordMap:
    quote_byte = ord(quote)
    edge = np.array([ord(delimiter), _NL, _CR, quote_byte], dtype=np.uint8)
    data = np.fromfile(path, dtype=np.uint8)
    n = data.size
    begin = 3 if data[:3].tobytes() == _BOM else 0
    quotes = np.flatnonzero(data == quote_byte)
    before = data[np.maximum(quotes - 1, 0)]
    after = data[np.minimum(quotes + 1, n - 1)]
    structural = (quotes <= begin) | (quotes == n - 1) | np.isin(before, edge) | np.isin(after, edge)
    newlines = np.flatnonzero(data == _NL)
    ends_record = np.searchsorted(quotes[structural], newlines) % 2 == 0
    terminators = newlines[ends_record]
    starts = np.concatenate(([begin], terminators + 1))
    ends = np.concatenate((terminators, [n]))
    if starts[-1] >= n:  # the file ends with a line break: no record after it
        starts, ends = starts[:-1], ends[:-1]
    width = ends - starts
    first_byte = data[np.minimum(starts, n - 1)] if n else np.zeros(0, dtype=np.uint8)
    blank = (width == 0) | ((width == 1) & (first_byte == _CR))
    first_line = (np.searchsorted(newlines, starts) + 1).astype(np.int64)
    return RecordMap(first_line, blank)


def number_rows(records: RecordMap, good_rows: int, rejected: Ints) -> Numbered:
    """Physical lines for `good_rows` rows and the records DuckDB rejected (its line numbers)."""
    total = records.first_line.size
    index = rejected - 1  # DuckDB line L is record L - 1 (the header is line 1)
    keep = ~records.blank.copy()
    if total:
        keep[0] = False
    in_range = bool(np.all((index >= 1) & (index < total)))
    if in_range:
        keep[index] = False
    if in_range and not records.blank[index].any() and int(keep.sum()) == good_rows:
        return Numbered(records.first_line[keep], records.first_line[index], exact=True)
    # Fallback: assume no blank lines and number records the way DuckDB does.
    lines = np.arange(2, good_rows + np.unique(rejected).size + 2, dtype=np.int64)
    return Numbered(lines[~np.isin(lines, rejected)], rejected.astype(np.int64), exact=False)
