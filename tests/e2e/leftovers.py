"""Find any identifier of given people anywhere under a folder, independently of pipelines/.

The needles are recomputed here from the landing files (email in several cases and
variants, phone as written / E.164 / digits, customer id, names, and the SHA-256 hashes of
all of these); the haystack is every file: every VARCHAR column of every table of every
DuckDB file, every Parquet file read through DuckDB, and the raw bytes of every file
(DuckDB files included, to catch deleted rows left in free blocks).
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb
import phonenumbers
import polars as pl


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _e164(phone: str | None, country: str | None) -> str | None:
    try:
        number = phonenumbers.parse(phone or "", country)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _gmail(email: str) -> str:
    local, domain = email.rsplit("@", 1)
    return (
        f"{local.split('+')[0].replace('.', '')}@{domain}"
        if domain in ("gmail.com", "googlemail.com")
        else email
    )


def _name_forms(name: str) -> set[str]:
    lower = unicodedata.normalize("NFC", name.strip().lower())
    no_punct = "".join(c for c in lower if not unicodedata.category(c).startswith("P"))
    squashed = "".join(c for c in lower if unicodedata.category(c)[0] not in "PSZC" and not c.isspace())
    return {lower, no_punct, squashed} - {""}


@dataclass(frozen=True)
class Needles:
    texts: frozenset[str]  # lower case, found anywhere
    words: frozenset[str]  # lower case, found only as whole words (ids, single names)

    def all(self) -> frozenset[str]:
        return self.texts | self.words


def needles(customers: pl.DataFrame, ids: list[str]) -> Needles:
    """Every identifier of the accounts `ids` (rows of the landing customers files); a single
    name counts only when no other account has it (else it identifies nobody)."""
    mine = customers.filter(pl.col("customer_id").str.strip_chars().is_in(ids))
    others = customers.filter(~pl.col("customer_id").str.strip_chars().is_in(ids))
    texts: set[str] = set()
    words: set[str] = {i.lower() for i in ids}
    for row in mine.iter_rows(named=True):
        email = "".join((row["email"] or "").split())
        if email:
            lower = email.lower()
            forms = {
                email,
                lower,
                email.upper(),
                _gmail(lower),
                _gmail(lower).replace("@googlemail.", "@gmail."),
            }
            texts |= {f.lower() for f in forms} | {_sha(f) for f in forms}
        e164 = _e164(row["phone"], row["country"])
        if e164:
            texts |= {e164, e164[1:], _sha(e164), _sha(e164[1:])}
        first, last = (row["first_name"] or "").strip(), (row["last_name"] or "").strip()
        if first and last:
            texts.add(f"{first} {last}".lower())
        for name, column in ((first, "first_name"), (last, "last_name")):
            taken = {(n or "").strip().lower() for n in others[column]}
            if name and name.lower() not in taken and len(name) > 2:
                words |= _name_forms(name)
                texts |= {_sha(f) for f in _name_forms(name)}
    return Needles(frozenset(t for t in texts if len(t) >= 6), frozenset(words))


def _literal(text: str) -> str:
    """`text` as an RE2 literal: every character but letters and digits as \\x{hex}."""
    return "".join(c if c.isalnum() else f"\\x{{{ord(c):x}}}" for c in text)


def _regex(found: Needles) -> str:
    """RE2 pattern: texts anywhere, words between non-word characters."""
    texts = [_literal(t) for t in sorted(found.texts)]
    words = [r"(?:^|[^\w-])" + _literal(w) + r"(?:[^\w-]|$)" for w in sorted(found.words)]
    return "|".join(texts + words) or "$^"


def _in_bytes(data: bytes, found: Needles) -> list[str]:
    low = data.lower()
    hits = [t for t in found.texts if t.encode("utf-8") in low]
    for word in found.words:
        raw = word.encode("utf-8")
        if raw in low and re.search(rb"(?:^|[^\w-])" + re.escape(raw) + rb"(?:[^\w-]|$)", low):
            hits.append(word)
    return hits


def _scan_tables(
    con: duckdb.DuckDBPyConnection, catalog: str, pattern: str, lists: str, where: str
) -> list[str]:
    hits = []
    tables = con.execute(
        "select table_schema, table_name, list(column_name) from information_schema.columns"
        " where table_catalog = ? and data_type = 'VARCHAR' group by all",
        [catalog],
    ).fetchall()
    for schema, table, columns in tables:
        test = " or ".join(f'regexp_matches(lower("{c}"), $p)' for c in columns)
        p = lists if "erasures" in table else pattern
        n = con.execute(f'select count(*) from "{catalog}"."{schema}"."{table}" where {test}', {"p": p})
        if n.fetchall()[0][0]:
            hits.append(f"{where}: table {schema}.{table}")
    return hits


def leftovers(root: Path, found: Needles, keep: set[Path], listed: frozenset[str]) -> list[str]:
    """Every place under `root` (files in `keep` aside) holding one of `found`. The erasure
    list itself may name the person by what it `listed` (lower case): its own tables (named
    *erasures*) and the bytes of a DuckDB file are checked for everything else."""
    rest = Needles(found.texts - listed, found.words - listed)
    hits: list[str] = []
    con = duckdb.connect()
    for folder, _, names in os.walk(root):
        for name in names:
            path = Path(folder) / name
            if path in keep or path.is_symlink():
                continue
            data = path.read_bytes()
            duck = path.suffix in (".duckdb", ".db") and b"DUCK" in data[:16]
            leaked = _in_bytes(data, rest if duck else found)
            if leaked:
                hits.append(f"{path}: bytes {leaked[:3]}")
            if path.suffix == ".parquet":
                con.execute(f"create or replace temp view _p as select * from read_parquet('{path}')")
                hits += _scan_tables(con, "temp", _regex(found), _regex(found), str(path))
            elif duck:
                con.execute(f"attach '{path}' as scanned (read_only)")
                try:
                    hits += _scan_tables(con, "scanned", _regex(found), _regex(rest), str(path))
                finally:
                    con.execute("detach scanned")
    con.close()
    return hits
