"""Line numbers as breakpoints (pipelines.load.line_shift): the shortcut for files whose lines
are their records gives the lines the numpy scan gives, and the scan still runs for the rest."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.load.line_shift import Shifts, line_shifts, lines_are_records
from tests.load.support import CUSTOMERS, Site

KINDS = ("good", "rejected", "blank", "multiline")


def _render(kinds: list[str], newline: bytes, bom: bool) -> tuple[bytes, list[int], list[int], list[int]]:
    """File bytes; physical lines of the good rows; DuckDB's record numbers of the rejected ones
    (header = 1, a blank line is a record too) and their physical lines."""
    out = [(b"\xef\xbb\xbf" if bom else b"") + b"a,b" + newline]
    line, record = 2, 2
    good, rejected_rec, rejected_line = [], [], []
    for i, kind in enumerate(kinds):
        if kind == "blank":
            out.append(newline)
        elif kind == "rejected":
            out.append(f"{i},x,surplus".encode() + newline)
            rejected_rec.append(record)
            rejected_line.append(line)
        elif kind == "multiline":
            out.append(f'{i},"two'.encode() + newline + b'lines"' + newline)
            good.append(line)
        else:
            out.append(f"{i},₹1 234".encode() + newline)
            good.append(line)
        line += out[-1].count(b"\n")
        record += 1
    return b"".join(out), good, rejected_rec, rejected_line


def _lines(shifts: Shifts, idx: int, n_good: int) -> list[int]:
    """Each good row's line from the breakpoints, as the ASOF join in read_csv.py computes it."""
    points = sorted(
        (f, s) for i, f, s in zip(shifts.file_idx, shifts.from_ord, shifts.shift, strict=True) if i == idx
    )
    lines = []
    for k in range(1, n_good + 1):
        shift = max((p for p in points if p[0] <= k), default=(0, 0))[1]
        lines.append(k + 1 + shift)
    return lines


@settings(max_examples=200, deadline=None)
@given(
    kinds=st.lists(st.sampled_from(KINDS), max_size=30),
    crlf=st.booleans(),
    bom=st.booleans(),
    final_newline=st.booleans(),
)
def test_breakpoints_give_every_row_its_physical_line(
    kinds: list[str], crlf: bool, bom: bool, final_newline: bool
) -> None:
    content, good, rejected_rec, rejected_line = _render(kinds, b"\r\n" if crlf else b"\n", bom)
    if not final_newline and kinds and kinds[-1] != "blank":
        content = content.removesuffix(b"\r\n" if crlf else b"\n")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_bytes(content)
        shifts = line_shifts(
            [(path, "f.csv", ",", '"', "utf-8")], {str(path): len(good)}, {str(path): rejected_rec}
        )
    # the shortcut is taken exactly when no quote, blank line or multi-line field is present
    assert shifts.mapped == (1 if {"blank", "multiline"} & set(kinds) else 0)
    assert _lines(shifts, 0, len(good)) == good
    mapped = dict(zip(shifts.reject_rec, shifts.reject_line, strict=True))
    assert [mapped.get(r, r) for r in rejected_rec] == rejected_line
    assert shifts.rows_in == {"f.csv": len(good) + len(rejected_rec)}
    assert shifts.approximate == []


def test_lone_carriage_returns_and_utf16_take_the_scan(tmp_path: Path) -> None:
    lone_cr = tmp_path / "cr.csv"
    lone_cr.write_bytes(b"a,b\n1,x\r2,y\n\n3,z\n")  # 4 lines, 4 records, but not one per line
    assert not lines_are_records(lone_cr, 4, '"', "utf-8")
    utf16 = tmp_path / "u16.csv"
    utf16.write_bytes("a,b\n1,ਊ\n".encode("utf-16"))  # U+0A0A: two 0x0A bytes, one line break
    assert not lines_are_records(utf16, 2, '"', "utf-16")
    plain = tmp_path / "plain.csv"
    plain.write_bytes(b"a,b\r\n1,x\r\n2,y")
    assert lines_are_records(plain, 3, '"', "utf-8")
    assert not lines_are_records(plain, 2, '"', "utf-8")


MESSY = (  # Excel-style export: BOM, CRLF, quoted amounts, day-first dates, a blank line
    "\ufefforder_id,customer_id,ordered_at,amount,status\r\n"
    'o1,c1,25/06/2026 10:00,"₹3,443.07",placed\r\n'
    'o2,c1,26/06/2026 11:30,"₹1,00,000.00",placed\r\n'
    "\r\n"
    'o3,c2,27/06/2026 09:15,₹250.50,"placed"\r\n'
    "o4,c2,28/06/2026 09:15,₹99.00,placed,surplus\r\n"
    'o5,c1,29/06/2026 12:00,₹10.00,"placed\r\nlate"\r\n'
    "o6,c2,30/06/2026 12:00,₹5.00,placed\r\n"
)
PLAIN = (  # quote-free, read in the same scan as MESSY: numbered without the numpy scan
    "order_id,customer_id,ordered_at,amount,status\n"
    "o7,c1,2026-06-30 10:00:00,12.50,placed\n"
    "o8,c1,2026-06-30 10:00:00,12.50\n"
    "o9,c2,2026-06-30 11:00:00,-3.00,placed\n"
    "o10,c2,2026-06-30 12:00:00,7.25,placed\n"
)


def test_messy_and_plain_files_in_one_scan_keep_their_lines_and_counts(site: Site) -> None:
    site.write("customers/c.csv", CUSTOMERS)
    site.write("orders/date=2026-06-01/a.csv", MESSY.encode())
    site.write("orders/date=2026-06-02/b.csv", PLAIN)
    report = site.stage(as_of=date(2026, 7, 1))
    a, b = "orders/date=2026-06-01/a.csv", "orders/date=2026-06-02/b.csv"
    assert sorted(site.query("select _source_file, _source_line, order_id, amount from incoming.orders")) == [
        (a, 2, "o1", Decimal("3443.07")),
        (a, 3, "o2", Decimal("100000.00")),
        (a, 5, "o3", Decimal("250.50")),
        (a, 9, "o6", Decimal("5.00")),
        (b, 2, "o7", Decimal("12.50")),
        (b, 5, "o10", Decimal("7.25")),
    ]
    assert site.query("select ordered_at from incoming.orders where order_id = 'o1'") == [
        (datetime(2026, 6, 25, 10, 0),)
    ]
    assert {(f, line, reason) for f, line, _, reason in site.quarantine()} == {
        (a, 6, "unparseable row"),
        (a, 7, "unknown value"),
        (b, 3, "unparseable row"),
        (b, 4, "negative value"),
    }
    assert sorted(
        site.query("select source_file, rows_in, rows_staged, rows_quarantined from incoming._files")
    ) == [
        ("customers/c.csv", 2, 2, 0),
        (a, 6, 4, 2),
        (b, 4, 2, 2),
    ]
    assert report.approximate_lines == ()


def test_files_of_one_entity_read_by_two_scans_keep_their_lines(site: Site) -> None:
    """Two headers, two scans into one untyped table: the second scan's rows are numbered from
    where its own rows start (rows appended in a transaction do not start at rowid 0)."""
    site.write("customers/c.csv", CUSTOMERS)
    site.write("orders/date=2026-06-01/a.csv", PLAIN)
    reordered = "customer_id,order_id,amount,ordered_at,status\nc1,o11,1.00,2026-06-30 10:00:00,placed\n"
    site.write(
        "orders/date=2026-06-02/b.csv", reordered + "c1,o12,2.00\n\nc2,o13,3.00,2026-06-30 11:00:00,placed\n"
    )
    site.stage(as_of=date(2026, 7, 1))
    a, b = "orders/date=2026-06-01/a.csv", "orders/date=2026-06-02/b.csv"
    assert sorted(site.query("select _source_file, _source_line, order_id from incoming.orders")) == [
        (a, 2, "o7"),
        (a, 5, "o10"),
        (b, 2, "o11"),
        (b, 5, "o13"),
    ]
    assert {(f, line, reason) for f, line, _, reason in site.quarantine()} == {
        (a, 3, "unparseable row"),
        (a, 4, "negative value"),
        (b, 3, "unparseable row"),
    }
