"""Erasure reaches earlier exports: every earlier day folder loses the erased people's rows.

An erased person is sent once as a removal (the day the erasure is first seen, see
plan.py); from the next run on, no export folder holds a row of theirs. A row is theirs
when any cell, read through the identity rule, is one of their email or phone keys or
customer ids, or is the SHA-256 an ad-platform file carries for one of those (Google's
and Meta's normalisations). Rewritten files keep their layout and are swapped in
atomically; the day's manifest gets the new checksums. The sweep runs before the day's
export is written: a folder it cannot read stops the export (privacy fails closed).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from pipelines.export.formats import parquet_bytes
from pipelines.export.manifest import MANIFEST
from pipelines.export.scrub import Scrubber, cell_texts, without
from pipelines.export.swept import data_files, fingerprint, folder_state, last_swept, record_swept
from pipelines.files import atomic_write, file_sha256, sha256


class SweepFailed(RuntimeError):
    """An earlier export could not be read or rewritten: nothing is exported until it is fixed."""


def _read(path: Path) -> pl.DataFrame:
    if path.suffix == ".csv":
        return pl.read_csv(path, infer_schema=False, encoding="utf8")
    return pl.read_parquet(path)


def _encode(path: Path, rows: pl.DataFrame) -> bytes:
    if path.suffix == ".parquet":
        return parquet_bytes(rows)
    return rows.write_csv(line_terminator="\r\n", quote_style="necessary").encode("utf-8")


def _copies(paths: list[Path]) -> list[list[Path]]:
    """The files grouped by content: a first export's `.added` is its full list (same bytes), so
    at 1M customers half a first day's folder is copies. Only files sharing a size are hashed."""
    by_size: dict[tuple[str, int], list[Path]] = {}
    for path in paths:
        by_size.setdefault((path.suffix, path.stat().st_size), []).append(path)
    groups: dict[tuple[str, int, str], list[Path]] = {}
    for (suffix, size), same in by_size.items():
        for path in same:
            groups.setdefault((suffix, size, file_sha256(path) if len(same) > 1 else ""), []).append(path)
    return list(groups.values())


def _sweep_folder(day: Path, scrubber: Scrubber) -> int:
    """Judge a folder's cell texts, then rewrite the files holding an erased person's cell.

    One file's frame is in memory at a time: the first pass keeps only each file's distinct
    texts (judged together: one cache lookup per folder), the second re-reads just the files
    that hold a forbidden text; identical files are read once and get the same new bytes. The
    manifest gets the new checksums of whatever was rewritten, even if a later file fails, so
    it never lists a checksum its file no longer has."""
    copies = _copies(data_files(day))
    texts = [cell_texts(_read(same[0])) for same in copies]
    bad = scrubber.judge(texts)
    hit = [same for same, text in zip(copies, texts, strict=True) if text.is_in(bad.implode()).any()]
    del texts
    changed: dict[str, str] = {}
    removed = 0
    try:
        for same in hit:
            frame = _read(same[0])
            rows = without(frame, bad)
            if rows.height < frame.height:
                data = _encode(same[0], rows)
                for path in same:
                    atomic_write(path, data)
                    removed += frame.height - rows.height
                    changed[path.relative_to(day).as_posix()] = sha256(data)
    finally:
        if changed:
            manifest = day / MANIFEST
            body = json.loads(manifest.read_text(encoding="utf-8"))
            for segment in body["segments"].values():
                for dest in segment["destinations"].values():
                    dest["files"] = {p: changed.get(p, c) for p, c in dest["files"].items()}
            atomic_write(manifest, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return removed


def sweep(
    con: duckdb.DuckDBPyConnection,
    export_dir: Path,
    forbidden: frozenset[str],
    today: str,
    digests: frozenset[str] = frozenset(),
) -> int:
    """Remove every row of an erased person from every committed day folder but `today`'s
    (which carries their removal); returns the rows removed. A folder already swept against
    the same tokens and unchanged since is not read (swept.py; `con`: the writer connection).
    Raises SweepFailed (one line) if a folder cannot be read or rewritten."""
    if not (forbidden or digests) or not export_dir.is_dir():
        return 0
    against = fingerprint(forbidden, digests)
    done = last_swept(con)
    scrubber: Scrubber | None = None
    removed = 0
    try:
        for manifest in sorted(export_dir.glob(f"*/{MANIFEST}")):
            day = manifest.parent
            if day.name == today:
                continue
            try:
                if done.get(day.name) == (folder_state(day), against):
                    continue
                scrubber = scrubber or Scrubber(forbidden, digests)
                removed += _sweep_folder(day, scrubber)
                state = folder_state(day)
            except (OSError, ValueError, pl.exceptions.PolarsError) as error:
                first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
                raise SweepFailed(
                    f"export refused: cannot sweep erased people from {day}: {first};"
                    " fix or remove that folder, nothing is exported until then"
                ) from error
            record_swept(con, day.name, state, against)
    finally:
        if scrubber is not None:
            scrubber.close()
    return removed
