"""write_files: a first export's `.added` (its whole list) is serialised once, and is the same bytes."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.export import write
from pipelines.export.config import Destination
from pipelines.export.diff import PREVIOUS_SCHEMA, diff
from pipelines.files import sha256

ROWS = pl.DataFrame(
    {
        "customer_id": ["C1", "C2", "C3"],
        "email": ["=cmd@x.in", "अनु@example.in", None],
        "first_name": ["Ravi", "अनु", "李"],
        "net_revenue": [1.5, 2.0, -12.5],
    }
)


@pytest.mark.parametrize("kind", ["generic_csv", "parquet"])
def test_a_first_exports_added_file_is_its_full_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    calls: list[int] = []
    real = write.file_bytes

    def counted(k: str, rows: pl.DataFrame) -> bytes:
        calls.append(rows.height)
        return real(k, rows)

    monkeypatch.setattr(write, "file_bytes", counted)
    dest = Destination(type=kind, segments=["champions"])  # type: ignore[arg-type]
    first = diff(ROWS, pl.DataFrame(schema=PREVIOUS_SCHEMA))
    files = write.write_files(tmp_path, "crm", dest, "champions", first)
    ext = "parquet" if kind == "parquet" else "csv"
    full, added = (tmp_path / "crm" / f"champions{s}.{ext}" for s in ("", ".added"))
    assert full.read_bytes() == added.read_bytes() == real(kind, ROWS)
    assert files[f"crm/champions.added.{ext}"] == sha256(real(kind, ROWS))
    assert calls == [3, 0]  # the full list once, the empty removals; not the added rows again
    # a later day: as many added rows as the list holds, but other values, get their own bytes
    other = ROWS.with_columns(pl.col("net_revenue") * 2)
    later = diff(other, first.records.filter(pl.col("customer_id") == "none"))
    changed = type(later)(later.full, ROWS, later.removed, later.changed, later.unchanged, later.records)
    write.write_files(tmp_path / "later", "crm", dest, "champions", changed)
    later_full, later_added = (tmp_path / "later" / "crm" / f"champions{s}.{ext}" for s in ("", ".added"))
    assert later_full.read_bytes() == real(kind, other)
    assert later_added.read_bytes() == real(kind, ROWS)
