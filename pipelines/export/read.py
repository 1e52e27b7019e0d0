"""Read everything an export needs in one read-only visit to the warehouse."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipelines.export.audience import Blocklist
from pipelines.export.blocked import PEOPLE, DoNotContactUnreadable, blocklist, refusal, without_consent
from pipelines.export.erased import recall, token_digests
from pipelines.export.erased_forms import tokens
from pipelines.export.sizes import previous_eligible
from pipelines.forget.tokens import erased_tokens
from pipelines.identity import install
from pipelines.warehouse import connect

COLUMNS = (
    "customer_id", "email", "first_name", "last_name", "segment", "rfm_code", "net_revenue",
    "last_order_at", "is_marketable", "phone_e164", "country",
)  # fmt: skip
# Columns only some segments have (the CLV segments' order by expected value), null in the
# others, so a destination's `fields` can carry the rank to the tool.
OPTIONAL = {"p_alive": "double", "clv_12m": "decimal(18,2)", "clv_rank": "integer", "postal_code": "varchar"}


# Only ledger ids that are not an account's id in the marts: the recall of everyone in the marts
# already hashed those (the same id digest), and at 1M they are nearly all of the ledger's. A row
# with a record is in its day's list (fold.py); a null record is a removal (the person is in an
# earlier row's list).
LEDGER_PEOPLE = """select distinct m.customer_id, m.customer_id as any_id, null::varchar as email_key,
    null::varchar as phone_key from exports.members m anti join _export_people p using (customer_id)
    where m.customer_id is not null and m.record is not null"""


@dataclass(frozen=True)
class Snapshot:
    segments: dict[str, pl.DataFrame]
    suppressed: Blocklist
    erased: Blocklist
    # the people an erasure request itself names: only their keys are remembered (segments.py),
    # so a person reached through a remembered key (a shared phone) does not spread it further
    requested: Blocklist
    unsubscribed: pl.Series  # customer ids whose removals are unsubscribes (see removals.py)
    erased_tokens: frozenset[str]  # every cell form of an erased person's identifiers (erasure.py)
    erased_digests: frozenset[str]  # keyed hashes of the forms of people already forgotten
    previous_sizes: dict[str, int | None]  # segment -> eligible rows last exported (size gate)


def _tables(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    query = "select table_name from information_schema.tables where table_schema = $s"
    return {name for (name,) in con.execute(query, {"s": schema}).fetchall()}


def read_snapshot(warehouse: Path, segments: list[str], as_of: date) -> Snapshot:
    """Everything but the ledger's baselines, which each pair reads when it is diffed (baseline.py)."""
    with connect(warehouse, read_only=True) as con:
        missing = sorted({f"segment_{s}" for s in segments} - _tables(con, "segments"))
        if missing:
            raise LookupError(f"segment models missing in {warehouse}: {missing}; run dbt first")
        frames = {}
        for name in segments:
            have = {c for (c,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'segments' and table_name = $t", {"t": f"segment_{name}"}
            ).fetchall()}  # fmt: skip
            extra = [c if c in have else f"cast(null as {t}) as {c}" for c, t in OPTIONAL.items()]
            frames[name] = con.sql(
                f"select {', '.join((*COLUMNS, *extra))} from segments.segment_{name}"
            ).pl()
        refused = refusal(con)
        if refused:
            raise DoNotContactUnreadable(refused)
        raw = _tables(con, "raw")
        empty = Blocklist()
        # every account's keys through the identity macros once, not once per list (a temp table:
        # the read-only connection writes nothing to the warehouse file)
        install(con)
        con.execute(f"create or replace temp table _export_people as {PEOPLE}")
        people = "select * from _export_people"
        suppressed = blocklist(con, "suppressions", people) if "suppressions" in raw else empty
        suppressed |= blocklist(con, "withdrawn", people)
        requested = blocklist(con, "erasures", people) if "erasures" in raw else empty
        # erased earlier, even if their erasure row is gone since
        erased = requested | recall(con, people)
        if "members" in _tables(con, "exports"):  # erased and forgotten, still in a ledger baseline
            erased |= recall(con, LEDGER_PEOPLE)
        blocked = pl.Series(list(suppressed.customer_ids | erased.customer_ids), dtype=pl.String)
        unsubscribed = pl.concat([without_consent(con).cast(pl.String), blocked]).unique()
        sizes = {s: previous_eligible(con, s, as_of) for s in segments}
        forbidden = tokens(con, erased) | erased_tokens(con).all()
        digests = token_digests(con)
    return Snapshot(frames, suppressed, erased, requested, unsubscribed, forbidden, digests, sizes)
