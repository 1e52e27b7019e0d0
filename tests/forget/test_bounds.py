"""An erased person's text form counts in a cell only at a boundary of its kind (bounds.py):
at 1M an erased `vyadav@yahoo.co.in` nulled `aaravyadav@yahoo.co.in` everywhere (i22privacy)."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest

from pipelines.forget.bounds import bounded
from pipelines.forget.match import Column, Scan, hits
from pipelines.forget.tokens import Tokens
from pipelines.identity import install

HASH = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"
CASES = [
    ("vyadav@yahoo.co.in", "VYadav@yahoo.co.in", True),
    ("vyadav@yahoo.co.in", '{"email": "vyadav@yahoo.co.in", "tier": 2}', True),
    ("vyadav@yahoo.co.in", "mailto:vyadav@yahoo.co.in", True),
    ("vyadav@yahoo.co.in", "please write to vyadav@yahoo.co.in.", True),
    ("vyadav@yahoo.co.in", "<vyadav@yahoo.co.in>, a.k.a. Vijay", True),
    ("vyadav@yahoo.co.in", "/landing?utm=mail&email=vyadav@yahoo.co.in", True),
    ("vyadav@yahoo.co.in", "'vyadav@yahoo.co.in'", True),
    ("vyadav@yahoo.co.in", "aaravyadav@yahoo.co.in", False),
    ("vyadav@yahoo.co.in", "anna+vyadav@yahoo.co.in", False),
    ("vyadav@yahoo.co.in", "a.vyadav@yahoo.co.in", False),
    ("vyadav@yahoo.co.in", "vyadav@yahoo.co.in.example.com", False),
    ("vyadav@yahoo.co.in", "vyadav@yahoo.co.invalid", False),
    ("liam.wilson@gmail.com", "william.wilson@gmail.com", False),
    ("anna smith", "Anna Smith", True),
    ("anna smith", "Dear Anna Smith, thank you", True),
    ("anna smith", "Joanna Smithers", False),
    ("anna smith", "anna smithson", False),
    ("आनंद शर्मा", "श्री आनंद शर्मा जी", True),
    ("9876543210", "+919876543210", True),
    ("9876543210", "09876543210", True),
    ("9876543210", "98765432109", False),
    ("+447700900123", "tel:+447700900123;ext=2", True),
    ("+447700900123", "+4477009001234", False),
]


@pytest.mark.parametrize(("form", "cell", "theirs"), CASES)
def test_a_form_counts_at_a_boundary_of_its_kind(form: str, cell: str, theirs: bool) -> None:
    frame = pl.DataFrame({"v": [cell], "low": [cell.lower()]})
    assert bounded(frame, [form], frozenset()) == ([cell] if theirs else [])


def test_a_hash_counts_anywhere() -> None:
    cell = "sha256:ab" + HASH
    frame = pl.DataFrame({"v": [cell], "low": [cell]})
    assert bounded(frame, [HASH], frozenset({HASH})) == [cell]


def test_anothers_address_is_not_a_hit_of_the_warehouse() -> None:
    """Through the whole matcher: the erased address and its sentence are hits, the longer
    address of another person is not."""
    con = duckdb.connect()
    install(con)
    cells = ["vyadav@yahoo.co.in", "aaravyadav@yahoo.co.in", "mail vyadav@yahoo.co.in.", None]
    con.execute("create table t as select unnest($c::varchar[]) as c", {"c": cells})
    scan = Scan(Tokens(ids=frozenset({"C1"}), texts=frozenset({"vyadav@yahoo.co.in"})))
    (found,) = hits(con, [Column("t", "c", scan)])
    assert sorted(found) == ["mail vyadav@yahoo.co.in.", "vyadav@yahoo.co.in"]
