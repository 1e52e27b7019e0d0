"""Which landing paths are contract data."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from pipelines.load.discover import discover
from tests.load.support import write


def test_layouts_of_the_contract_are_found_and_the_rest_ignored(tmp_path: Path) -> None:
    for rel in (
        "orders/date=2024-01-01/part-0.csv",
        "orders/2024/01/deep.parquet",
        "products/products.csv",
        "marketing_spend.csv",
        "customers/date=2024-01-01/C.CSV",
        "_truth/orders.csv",
        "orders/_SUCCESS.csv",
        "orders/.part-0.csv.crc",
        ".cache/orders.csv",
        "orders/date=2024-01-02/_tmp/x.csv",
        "junk/a.csv",
        "junk/b.csv",
        "notes.csv",
        "orders/readme.txt",
    ):
        write(tmp_path, rel, "order_id\n")
    found = discover(tmp_path)
    assert [(f.source_file, f.entity, f.fmt) for f in found.files] == [
        ("customers/date=2024-01-01/C.CSV", "customers", "csv"),
        ("marketing_spend.csv", "marketing_spend", "csv"),
        ("orders/2024/01/deep.parquet", "orders", "parquet"),
        ("orders/date=2024-01-01/part-0.csv", "orders", "csv"),
        ("products/products.csv", "products", "csv"),
    ]
    assert found.ignored == ("junk/", "notes.csv", "orders/readme.txt")


def test_size_and_checksum_are_of_the_bytes(tmp_path: Path) -> None:
    content = b"order_id\no1\n"
    write(tmp_path, "orders.csv", content)
    (file,) = discover(tmp_path).files
    assert (file.size_bytes, file.checksum) == (len(content), hashlib.sha256(content).hexdigest())


def test_a_missing_landing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="landing folder"):
        discover(tmp_path / "nope")
