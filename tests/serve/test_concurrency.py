"""A reader in another process never sees a mixed or half-written version while we republish."""

from __future__ import annotations

import json
import subprocess
import time
from datetime import date
from pathlib import Path

from pipelines.serve import publish
from tests.serve.factories import build_warehouse, old_duckdb_python

READER = Path(__file__).with_name("reader.py")


def test_reader_process_sees_only_complete_versions_while_we_republish(tmp_path: Path) -> None:
    warehouse, root, stop = tmp_path / "w.duckdb", tmp_path / "serving", tmp_path / "stop"
    publish(build_warehouse(warehouse, customers=100), root, date(2025, 7, 1), "run_0", keep=3)
    reader = subprocess.Popen(
        [str(old_duckdb_python()), str(READER), str(root), str(stop)], stdout=subprocess.PIPE, text=True
    )
    try:
        time.sleep(0.5)  # the reader is inside its loop before the first swap
        for i in range(1, 16):
            # every version has different row counts, so a mix of two versions shows as a mismatch
            build_warehouse(warehouse, customers=100 + 37 * i, seed=i)
            publish(warehouse, root, date(2025, 7, 1), f"run_{i}", keep=3)
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    seen = json.loads(out)
    assert seen["duckdb"] == "1.1.3"
    assert seen["errors"] == []
    assert seen["checks"] > 20
    assert len(seen["versions"]) >= 3, "the reader should have overlapped several publishes"
