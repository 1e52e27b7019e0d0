"""The erasure key and `rapport_hmac`, the keyed hash every record of an erased person uses.

Erased people are remembered only as HMAC-SHA-256 digests under this key (exports.erased,
raw._forget_tokens), so the digests cannot be tested against a guessed address without it.
Key: RAPPORT_ERASURE_KEY (a secret store, via the environment), else the key file
<RAPPORT_HOME>/secrets/erasure.key, generated once (32 random bytes hex, O_EXCL, 0600). One
place for both the export, forget and dbt (pipelines/dbt_plugin.py, spark_functions.py), so a
digest written by one is recognised by the others. The HMAC runs in DuckDB (sha256 over the
RFC 2104 pads), never row by row in Python; the key never reaches a log or a model's SQL.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import duckdb

from pipelines.settings import get_settings


def erasure_key() -> bytes:
    """The key's bytes (generating the key file the first time no key exists)."""
    settings = get_settings()
    if settings.erasure_key is not None:
        return settings.erasure_key.get_secret_value().encode("utf-8")
    path = settings.home / "secrets" / "erasure.key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:  # O_EXCL: two first runs never end up with two keys
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
    return Path(path).read_text(encoding="utf-8").strip().encode("utf-8")


def install_hmac(con: duckdb.DuckDBPyConnection, into: str | None = None) -> None:
    """Define the temp macro rapport_hmac(x) (or the macro in the attached in-memory catalog
    `into`): lower-case hex HMAC-SHA-256 of x's UTF-8 under the erasure key; NULL stays NULL."""
    key = erasure_key()
    key = hashlib.sha256(key).digest() if len(key) > 64 else key
    block = key.ljust(64, b"\0")
    inner, outer = bytes(b ^ 0x36 for b in block).hex(), bytes(b ^ 0x5C for b in block).hex()
    con.execute(
        f"create or replace {'temp macro ' if into is None else f'macro {into}.main.'}rapport_hmac(x)"
        " as case when x is not null then"
        f" sha256(unhex('{outer}') || unhex(sha256(unhex('{inner}') || encode(x)))) end"
    )
