"""Random corruptions of a valid landing file: the loader never crashes without a clear
error, never loses a row, and never lets a row that breaks the contract into raw."""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines.contract import MAX_AMOUNT, ORDER_STATUSES
from pipelines.load import BatchRejected
from tests.corpus.cases import BASE
from tests.load.support import AS_OF, Site

PATH = "orders/date=2024-02-02/orders.csv"
VALID = b"order_id,customer_id,ordered_at,amount,status,currency\n" + b"".join(
    b"o%d,c%d,2024-02-%02d 1%d:00:00,%d.50,%s,EUR\n" % (i, 1 + i % 3, 1 + i % 9, i % 10, 3 * i, s.encode())
    for i, s in enumerate(ORDER_STATUSES * 3)
)
NOISE = (b'"', b",", b"\n", b"\r\n", b"\xff", b"\xe9", b";", b"-", b"9", b" ", b"\t", b"\xef\xbb\xbf")


@st.composite
def corrupted(draw: st.DrawFn) -> bytes:
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(("insert", "delete", "replace", "truncate", "duplicate_line")))
        if op == "insert":
            data[at:at] = draw(st.sampled_from(NOISE))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 20))]
        elif op == "replace" and at < len(data):
            data[at] = draw(st.sampled_from(NOISE))[0]
        elif op == "truncate":
            del data[at:]
        elif op == "duplicate_line":
            lines = bytes(data).split(b"\n")
            pick = draw(st.integers(0, len(lines) - 1))
            data = bytearray(b"\n".join([*lines[: pick + 1], lines[pick], *lines[pick + 1 :]]))
    return bytes(data)


def _data_lines(content: bytes) -> set[int]:
    """Physical lines holding a record, for a file without quotes or carriage returns."""
    lines = content.removeprefix(b"\xef\xbb\xbf").split(b"\n")
    return {n for n, line in enumerate(lines[1:], start=2) if line.strip(b" \t")}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=corrupted())
# a stray carriage return in a column name once crashed the header parser
@example(content=b"o\rder_id,customer_id,ordered_at,amount\no1,c1,2024-02-01 10:00:00,1.00\n")
def test_a_corrupted_file_is_rejected_clearly_or_fully_accounted_for(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        site = Site(Path(tmp) / "landing", Path(tmp) / "warehouse.duckdb")
        for rel, base in BASE.items():
            site.write(rel, base)
        site.write(PATH, content)
        try:
            staged = site.stage()
        except BatchRejected as e:
            assert e.source_file == PATH and str(e).startswith(f"{PATH}: ")
            return
        site.load()
        (ledger,) = site.query(
            "select rows_in, rows_loaded, rows_quarantined from raw._load_ledger where source_file = ?",
            [PATH],
        )
        assert ledger[0] == ledger[1] + ledger[2] == staged.counts("orders").rows_in - 3
        loaded = {
            r[0] for r in site.query("select _source_line from raw.orders where _source_file = ?", [PATH])
        }
        held = {
            r[0] for r in site.query("select source_line from raw._quarantine where source_file = ?", [PATH])
        }
        assert not loaded & held and len(loaded) == ledger[1] and len(held) == ledger[2]
        if b'"' not in content and b"\r" not in content and PATH not in staged.approximate_lines:
            assert loaded | held == _data_lines(content), "every record is loaded or quarantined"
        bad = site.query(
            "select order_id, _source_line from raw.orders where _source_file = $f and (order_id is null"
            " or customer_id not in ('c1', 'c2', 'c3') or amount is null or amount < 0 or amount > $max"
            " or coalesce(status, 'placed') not in $statuses or ordered_at is null or ordered_at >= $limit"
            " or ordered_at < '1970-01-02' or (select count(*) from raw.orders o where o._source_file = $f"
            " and o.order_id = raw.orders.order_id) > 1)",
            {
                "f": PATH,
                "statuses": list(ORDER_STATUSES),
                "limit": f"{AS_OF + timedelta(days=1)} 00:00:01",
                "max": MAX_AMOUNT,
            },
        )
        assert bad == [], "only rows that keep the contract reach raw"
