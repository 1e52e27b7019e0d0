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
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl

from pipelines.forget.tokens import Tokens

MARK = b"[erased]"
# Files are searched this many bytes at a time (one Aho-Corasick pass over a batch).
BATCH_BYTES = 64 * 1024 * 1024


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


def _ascii_lower(text: str) -> bytes:
    return text.encode("utf-8").lower()  # bytes.lower folds ASCII only, as re.IGNORECASE on bytes


def redacted(texts: list[bytes], tokens: Tokens) -> list[bytes | None]:
    """Each text with every token redacted, or None where it holds none.

    One alternation of ~20k tokens (1M customers) costs Python's `re` a try per token at every
    byte: 220 s of CPU for a 1.7 MB manifest.json. So one Aho-Corasick pass (polars'
    extract_many) first finds which tokens occur in each text, ASCII case folded as the
    pattern is, and the pattern is then built from those few. Bytes are read as Latin-1
    (one character per byte) so binary files pass through unchanged.
    """
    keys: dict[bytes, set[str]] = {}
    for token in tokens.all():
        keys.setdefault(_ascii_lower(token), set()).add(token)
    needles = [key.decode("latin-1") for key in keys]
    hits = pl.Series([t.decode("latin-1") for t in texts], dtype=pl.String).str.extract_many(
        needles, ascii_case_insensitive=True, overlapping=True
    )
    out: list[bytes | None] = []
    for data, found in zip(texts, hits.to_list(), strict=True):
        present = set().union(*(keys[m.encode("latin-1").lower()] for m in set(found or [])))
        here = Tokens(tokens.ids & present, tokens.texts & present, tokens.hashes & present)
        match = pattern(here) if present else None
        out.append(_redact(data, match) if match is not None and match.search(data) else None)
    return out


def _files(home: Path, skip: list[Path]) -> list[Path]:
    files = []
    for root, dirs, names in os.walk(home):
        here = Path(root)
        dirs[:] = [d for d in dirs if not any((here / d).is_relative_to(s) for s in skip)]
        files += [here / n for n in names if not (here / n).is_symlink()]
    return [f for f in files if not any(f.is_relative_to(s) for s in skip)]


def _batches(files: list[Path]) -> Iterator[list[Path]]:
    """The files in groups of about BATCH_BYTES, so one search covers many small files."""
    batch: list[Path] = []
    size = 0
    for path in files:
        batch.append(path)
        size += path.stat().st_size
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def forget_in_files(home: Path, tokens: Tokens, skip: list[Path]) -> list[Path]:
    """Redact every file under `home` but those under `skip`; returns the files changed."""
    if not tokens:
        return []
    files = _files(home, skip)
    changed = [f for f in files if f.suffix == ".parquet" and _parquet(f, tokens)]
    for batch in _batches([f for f in files if f.suffix != ".parquet"]):
        for path, data in zip(batch, redacted([f.read_bytes() for f in batch], tokens), strict=True):
            if data is not None:
                _swap(path, data)
                changed.append(path)
    return changed
