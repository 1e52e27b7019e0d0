"""`rapport landing check DIR`: what the loader would do with each file, and a config to edit.

Each file is staged alone into a throwaway warehouse in a temporary folder (the real one is
never opened), with the value-loss guard off so its counts show. Headers that the contract
and the config do not name are matched against common export headers for the proposal only;
the loader itself never guesses a mapping.
"""

from __future__ import annotations

import shutil
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import yaml

from pipelines.contract import ENTITIES
from pipelines.load.config import LandingConfig
from pipelines.load.discover import LandingFile, discover
from pipelines.load.errors import BatchRejected
from pipelines.load.header import inspect
from pipelines.load.stage import stage_landing
from pipelines.warehouse import connect

# export headers seen in Shopify, WooCommerce, Indian POS and payment-gateway files
SYNONYMS = {
    "order_id": ("order id", "order no", "order number", "invoice no", "bill no", "name", "payment id"),
    "customer_id": ("customer id", "customer", "customer code", "customer user id", "email", "user id"),
    "ordered_at": ("order date", "created at", "invoice date", "bill date", "created on", "date", "paid at"),
    "amount": ("total", "order total", "order total amount", "net amount", "bill amount", "amount (inr)"),
}


def _proposal(header: tuple[str, ...], entity: str, mapped: dict[str, str]) -> dict[str, str]:
    taken = set(mapped.values()) | {h.strip().lower() for h in header}
    out = dict(mapped)
    for column in ENTITIES[entity].required_columns:
        if column in taken:
            continue
        match = next((h for h in header for s in SYNONYMS.get(column, ()) if h.strip().casefold() == s), None)
        if match is not None and match not in out:
            out[match] = column
    return out


def _quarantine_lines(warehouse: Path) -> list[str]:
    with connect(warehouse, read_only=True) as con:
        rows = con.execute(
            "select column_name, reason, count(*), any_value(value) from incoming._quarantine"
            " group by all order by 3 desc, 1 limit 5"
        ).fetchall()
    return [f"    quarantined: {n} x '{reason}' in '{col}', e.g. {ex!r}" for col, reason, n, ex in rows]


def _stage_alone(path: Path, source_file: str, config: LandingConfig, as_of: date) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="rapport-check-") as tmp:
        target = Path(tmp) / "landing" / source_file
        target.parent.mkdir(parents=True)
        shutil.copyfile(path, target)
        try:
            report = stage_landing(
                Path(tmp) / "landing", Path(tmp) / "w.duckdb", as_of, "check", config=config
            )
        except BatchRejected as e:
            return [f"    REFUSED: {e.rule}"]
        lines = [f"    format: {d.split(': ', 1)[1]}" for d in report.detected]
        lines.append(
            f"    rows: {report.rows_in} in, {report.rows_loaded} would load,"
            f" {report.rows_quarantined} would be quarantined"
        )
        return lines + _quarantine_lines(Path(tmp) / "w.duckdb")


def _describe(
    con: duckdb.DuckDBPyConnection, file: LandingFile, config: LandingConfig, entry: dict
) -> list[str]:
    """Dialect and mapping of one file; fills the entity's proposed config `entry`."""
    fmt = config.of(file.entity)
    try:
        layout = inspect(con, file, fmt)
    except BatchRejected as e:
        header, delimiter = _raw_header(file.path)
        proposed = _proposal(header, file.entity, {})
        entry.setdefault("columns", {}).update(proposed)
        entry.setdefault("_delimiters", set()).add(delimiter)
        return [f"    header: {e.rule}", f"    header found: {', '.join(header)}"]
    mapping = {layout.header[i]: c for c, i in layout.positions}
    renamed = {h: c for h, c in mapping.items() if h.strip().lower() != c}
    entry.setdefault("columns", {}).update(renamed)
    entry.setdefault("_delimiters", set()).add(layout.delimiter)
    return [
        f"    dialect: delimiter {layout.delimiter!r}, quote {layout.quote!r}, {layout.encoding}",
        "    columns: " + ", ".join(f"{h} -> {c}" for h, c in mapping.items()),
        *(f"    not in the contract (ignored): {h}" for h in layout.extra),
    ]


def check_landing(landing: Path, config: LandingConfig, as_of: date, proposal: Path) -> list[str]:
    """Lines describing every file, after writing the proposed landing config to `proposal`.

    Counts are those of the proposed config: the user's own settings plus the proposed mapping.
    """
    patterns = {e: f.files for e, f in config.entities.items() if f.files}
    found = discover(landing, patterns)
    proposed: dict[str, dict] = {e: f.model_dump(exclude_defaults=True) for e, f in config.entities.items()}
    described: dict[str, list[str]] = {}
    with duckdb.connect() as con:
        for file in found.files:
            entry = proposed.setdefault(file.entity, {})
            described[file.source_file] = _describe(con, file, config, entry)
    for entry in proposed.values():  # one delimiter for all an entity's files, or the sniffer's per file
        delimiters = entry.pop("_delimiters", set())
        if len(delimiters) == 1 and delimiters != {","}:
            entry["delimiter"] = delimiters.pop()
        if not entry.get("columns"):
            entry.pop("columns", None)
    try:
        trial = LandingConfig.model_validate({"entities": proposed})
    except ValueError:
        trial = config
    out: list[str] = []
    for file in found.files:
        out += [f"{file.source_file} -> {file.entity}", *described[file.source_file]]
        out += _stage_alone(file.path, file.source_file, trial, as_of)
    out += [f"ignored (not landing data): {p}" for p in found.ignored]
    proposal.write_text(
        "# proposed by `rapport landing check`: edit, then point RAPPORT_LANDING_CONFIG at it\n"
        + yaml.safe_dump(
            {"entities": {e: v for e, v in proposed.items() if v}}, allow_unicode=True, sort_keys=False
        )
    )
    return [*out, f"proposed landing config: {proposal}"]


def _raw_header(path: Path) -> tuple[tuple[str, ...], str]:
    """The first line split on the most frequent of the usual delimiters, for the proposal only."""
    first = path.read_bytes()[: 1 << 16].split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip("\r")
    delimiter = max(",;\t|", key=first.count)
    return tuple(h.strip().strip('"') for h in first.split(delimiter)), delimiter
