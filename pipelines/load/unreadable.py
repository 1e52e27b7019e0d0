"""An unreadable do-not-contact file does not stop the load: it is quarantined as one
unit (line 1, its header as the value) and the export refuses to run while it is there.

Loading and marts still complete, so the rest of the day's numbers are there; the file is
ledgered like any other, so replacing it with a readable version clears the block.
"""

from __future__ import annotations

import duckdb

from pipelines.load.discover import LandingFile
from pipelines.load.errors import BatchRejected

UNREADABLE = "unreadable do-not-contact file"


def _first_line(file: LandingFile) -> str:
    try:
        with open(file.path, "rb") as f:
            return f.readline(1000).decode("utf-8", errors="replace").strip("\r\n")
    except OSError as e:
        return f"({e})"


def unreadable_to_quarantine(
    con: duckdb.DuckDBPyConnection, unreadable: list[tuple[LandingFile, BatchRejected]]
) -> dict[str, int]:
    """One quarantine row per file (so rows in = 1 = quarantined); returns those counts."""
    for file, error in unreadable:
        con.execute(
            "insert into incoming._quarantine values ($e, $f, 1, null, $v, $r)",
            {
                "e": file.entity,
                "f": file.source_file,
                "v": _first_line(file),
                "r": f"{UNREADABLE}: {error.rule}",
            },
        )
    return {file.source_file: 1 for file, _ in unreadable}
