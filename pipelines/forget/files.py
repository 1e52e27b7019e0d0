"""Erased people leave the files rapport writes under RAPPORT_HOME beside the warehouse.

Quality reports (examples of bad rows), GX validation results and data docs, dbt and
Airflow logs, run summaries: any file holding one of the person's identifiers gets each
occurrence replaced by `[erased]` (same length in a binary file such as a SQLite store,
so its layout holds), written to a temporary file and swapped in. Parquet is rewritten
without the person's rows. Places with their own rule are skipped here: the landing
folder (the user's drop zone, see DECISIONLOG), the warehouse (warehouse.py), export
day folders (pipelines/export/erasure.py) and serving versions (pipelines/serve/forget.py).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from pipelines.forget.tokens import Tokens

MARK = b"[erased]"


def pattern(tokens: Tokens) -> re.Pattern[bytes]:
    """One case-insensitive pattern for every token; ids only as whole words."""
    words = [
        re.escape(t.encode("utf-8")) for t in sorted(tokens.texts | tokens.hashes, key=len, reverse=True)
    ]
    ids = [re.escape(t.encode("utf-8")) for t in sorted(tokens.ids, key=len, reverse=True)]
    parts = [*words, *(rb"(?<![\w-])" + i + rb"(?![\w-])" for i in ids)]
    return re.compile(b"|".join(parts), re.IGNORECASE)


def _redact(data: bytes, found: re.Pattern[bytes]) -> bytes:
    binary = b"\0" in data[:65536]
    if binary:
        return found.sub(lambda m: (MARK * len(m.group(0)))[: len(m.group(0))], data)
    return found.sub(MARK, data)


def _swap(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.forget")
    tmp.write_bytes(data)
    os.chmod(tmp, path.stat().st_mode & 0o777)
    os.replace(tmp, path)


def _parquet(path: Path, tokens: Tokens) -> bool:
    con = duckdb.connect()
    try:
        columns = [c for (c,) in con.execute(f"select name from parquet_schema('{path}')").fetchall()]
        if "customer_id" not in columns:
            return False
        ids = sorted(tokens.ids)
        where = "customer_id::varchar in (select unnest($ids::varchar[]))"
        if not con.execute(
            f"select count(*) from read_parquet('{path}') where {where}", {"ids": ids}
        ).fetchall()[0][0]:
            return False
        tmp = path.with_name(f".{path.name}.forget")
        con.execute(
            f"copy (select * from read_parquet('{path}') where not ({where})) to '{tmp}' (format parquet)",
            {"ids": ids},
        )
    finally:
        con.close()
    os.replace(tmp, path)
    return True


def forget_in_files(home: Path, tokens: Tokens, skip: list[Path]) -> list[Path]:
    """Redact every file under `home` but those under `skip`; returns the files changed."""
    if not tokens:
        return []
    found = pattern(tokens)
    needles = [t.lower().encode("utf-8") for t in tokens.all()]
    changed = []
    for root, dirs, names in os.walk(home):
        here = Path(root)
        dirs[:] = [d for d in dirs if not any((here / d).is_relative_to(s) for s in skip)]
        for name in names:
            path = here / name
            if path.is_symlink() or any(path.is_relative_to(s) for s in skip):
                continue
            if path.suffix == ".parquet":
                if _parquet(path, tokens):
                    changed.append(path)
                continue
            data = path.read_bytes()
            low = data.lower()  # a substring test per token first: most files hold none
            if any(t in low for t in needles) and found.search(data):
                _swap(path, _redact(data, found))
                changed.append(path)
    return changed
