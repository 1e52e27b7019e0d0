"""Another process holding the warehouse while a test runs, as another task or a BI tool would."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# a task reading the warehouse through rapport's lock (the docs beside the export)
READER = """
import sys, time
from pathlib import Path
from pipelines.warehouse import connect
with connect(Path(sys.argv[1]), read_only=True) as con:
    con.execute("select 1").fetchall()
    print("reading", flush=True)
    time.sleep(600)
"""
# a BI tool: DuckDB's own read-only open, without rapport's lock
BI_TOOL = """
import duckdb, sys, time
c = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(600)
"""


@contextmanager
def holding(code: str, warehouse: Path, ready: str) -> Iterator[subprocess.Popen[str]]:
    """Run `code` (sys.argv[1] = `warehouse`) in another interpreter until it prints `ready`;
    it is killed when the block ends."""
    proc = subprocess.Popen([sys.executable, "-c", code, str(warehouse)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == ready
        yield proc
    finally:
        proc.kill()
        proc.wait()
