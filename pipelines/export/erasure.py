"""Erasure reaches earlier exports: every earlier day folder loses the erased people's rows.

An erased person is sent once as a removal (the day the erasure is first seen, see
plan.py); from the next run on, no export folder holds a row of theirs. A row is theirs
when any cell, read through the identity rule, is one of their email or phone keys or
customer ids, or is the SHA-256 an ad-platform file carries for one of those (Google's
and Meta's normalisations). Rewritten files keep their layout and are swapped in
atomically; the day's manifest gets the new checksums.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl

from pipelines.export.audience import Blocklist
from pipelines.export.erased import install_hmac
from pipelines.export.formats import parquet_bytes
from pipelines.export.manifest import MANIFEST
from pipelines.files import atomic_write, sha256
from pipelines.identity import install

# every cell form an exported row of the person can take (hashes as written by the ad files)
TOKENS = """
with people as (
    select email, phone_e164 from marts.customers where customer_id in (select unnest($ids::varchar[]))
    union all select unnest($emails::varchar[]), null
    union all select null, unnest($phones::varchar[])
)
select distinct unnest([
    rapport_email_key(email), rapport_sha256(rapport_email_google(email)),
    rapport_sha256(nullif(lower(trim(email)), '')), rapport_sha256(rapport_email_key(email)),
    rapport_phone_key(phone_e164), rapport_sha256(rapport_phone_key(phone_e164)),
    rapport_sha256(ltrim(replace(rapport_phone_key(phone_e164), '+', ''), '0'))
]) as token from people
"""


def tokens(con: duckdb.DuckDBPyConnection, erased: Blocklist) -> frozenset[str]:
    """Customer ids, email/phone keys and their ad-platform hashes of everyone erased."""
    if not (erased.customer_ids or erased.emails or erased.phones):
        return frozenset()
    install(con)
    params = {
        "ids": sorted(erased.customer_ids),
        "emails": sorted(erased.emails),
        "phones": sorted(erased.phones),
    }
    found = {t for (t,) in con.execute(TOKENS, params).fetchall() if t}
    return frozenset(found | erased.customer_ids | erased.emails | erased.phones)


def _scrub(frame: pl.DataFrame, forbidden: frozenset[str], digests: frozenset[str]) -> pl.DataFrame:
    """Rows of `frame` none of whose cells is (after the identity rule) a forbidden token, or
    a token whose keyed hash was remembered (pipelines/forget: the warehouse no longer knows it)."""
    con = duckdb.connect()
    try:
        install(con)
        remembered = "false"
        if digests:  # only then is the erasure key needed
            install_hmac(con)
            remembered = "rapport_hmac(lower(form)) in (select d from _digests)"
        text = frame.with_row_index("_row").cast(pl.String)
        con.register("_cells", text.unpivot(index="_row").to_arrow())
        forbidden_frame = pl.DataFrame({"token": sorted(forbidden)}, schema={"token": pl.String})
        con.register("_forbidden", forbidden_frame.to_arrow())
        con.register("_digests", pl.DataFrame({"d": sorted(digests)}, schema={"d": pl.String}).to_arrow())
        # cells as written may carry the CSV-injection quote, any case or padding
        hits = con.execute(
            "with cells as (select _row, ltrim(trim(value), '''') as v from _cells),"
            " forms as (select _row, unnest([v, lower(v), rapport_email_key(v), rapport_phone_key(v)])"
            " as form from cells) select distinct _row::bigint from forms"
            f" where form in (select token from _forbidden) or {remembered}"
        ).fetchall()
    finally:
        con.close()
    drop = [int(r) for (r,) in hits]
    return frame.with_row_index("_row").filter(~pl.col("_row").is_in(drop)).drop("_row")


def sweep(
    export_dir: Path, forbidden: frozenset[str], today: str, digests: frozenset[str] = frozenset()
) -> int:
    """Remove every row of an erased person from every committed day folder but `today`'s
    (which carries their removal); returns the rows removed."""
    if not (forbidden or digests) or not export_dir.is_dir():
        return 0
    removed = 0
    for manifest in sorted(export_dir.glob(f"*/{MANIFEST}")):
        day = manifest.parent
        if day.name == today:
            continue
        body = json.loads(manifest.read_text(encoding="utf-8"))
        changed: dict[str, str] = {}
        for path in sorted([*day.glob("*/*.csv"), *day.glob("*/*.parquet")]):
            if path.suffix == ".csv":
                frame = pl.read_csv(path, infer_schema=False, encoding="utf8")
            else:
                frame = pl.read_parquet(path)
            kept = _scrub(frame, forbidden, digests)
            if kept.height == frame.height:
                continue
            removed += frame.height - kept.height
            data = (
                parquet_bytes(kept)
                if path.suffix == ".parquet"
                else kept.write_csv(line_terminator="\r\n", quote_style="necessary").encode("utf-8")
            )
            atomic_write(path, data)
            changed[path.relative_to(day).as_posix()] = sha256(data)
        if changed:
            for segment in body["segments"].values():
                for dest in segment["destinations"].values():
                    dest["files"] = {p: changed.get(p, c) for p, c in dest["files"].items()}
            atomic_write(manifest, (json.dumps(body, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return removed
