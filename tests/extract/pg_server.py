"""A throwaway PostgreSQL server on loopback for tests (scripts/pg_test_server.sh)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pg_test_server.sh"


@contextmanager
def postgres() -> Iterator[str]:
    """Yield the URL of a fresh server; it is stopped and its data deleted afterwards."""
    top = Path(tempfile.mkdtemp(prefix="rapport-pg-"))
    top.chmod(0o755)  # as root the server runs as `postgres`, which must reach the folder
    folder = top / "pg"
    started = subprocess.run(["bash", str(SCRIPT), "start", str(folder)], capture_output=True, text=True)
    try:
        assert started.returncode == 0, f"could not start PostgreSQL: {started.stderr}"
        yield started.stdout.strip()
    finally:
        subprocess.run(["bash", str(SCRIPT), "stop", str(folder)], capture_output=True, check=False)
        top.rmdir()
