"""E-mail syntax verdicts for the segment gate, cached in the warehouse (`exports.email_checks`).

Keyed by the address as written and the validator's version (a new email_validator may judge
otherwise, so it validates again): each distinct address is validated once, not once per row
per segment per run. The gate runs before the export writes anything, so the verdicts it
needed anew are saved on the export's writer connection afterwards (`EmailChecks.save`); a
gate that fails saves none and its addresses are validated again next time. The cache is a
people table (pipelines/forget deletes an erased person's rows), so it holds only what the next
gate can use: saving keeps the verdicts of this gate's addresses, of this validator, and drops
the rest (an address that left every list is validated again if it comes back: ~27 µs).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from expectations.suites.valid_email import VALIDATOR, known_verdicts, validated
from pipelines.warehouse import connect, table_exists

DDL = """create schema if not exists exports;
create table if not exists exports.email_checks (address varchar not null, validator varchar not null,
    valid boolean not null, primary key (address, validator))"""


@dataclass(frozen=True)
class EmailChecks:
    cached: int  # verdicts read from the warehouse
    new: pl.DataFrame  # address, valid: validated by this run
    addresses: pl.DataFrame  # email: every distinct address of the gate's lists

    def save(self, con: duckdb.DuckDBPyConnection) -> None:
        """Cache this run's new verdicts and drop every other address's (writer connection)."""
        con.execute(DDL)
        con.register("_rapport_addresses", self.addresses.to_arrow())
        con.register("_rapport_email_checks", self.new.to_arrow())
        try:
            con.execute(
                "delete from exports.email_checks where validator <> $v"
                " or address not in (select email from _rapport_addresses)",
                {"v": VALIDATOR},
            )
            con.execute(
                "insert or ignore into exports.email_checks select address, $v, valid"
                " from _rapport_email_checks",
                {"v": VALIDATOR},
            )
        finally:
            con.unregister("_rapport_email_checks")
            con.unregister("_rapport_addresses")


@contextmanager
def checked_emails(warehouse: Path, lists: Iterable[pl.DataFrame]) -> Iterator[EmailChecks]:
    """Verdicts for every distinct e-mail of `lists`, handed to the segment suite
    (`known_verdicts`) while the block runs, in this context only: what the warehouse said
    serves this gate only."""
    frames = [f.select(pl.col("email").cast(pl.String)) for f in lists]
    addresses = (
        pl.concat(frames).drop_nulls().unique() if frames else pl.DataFrame(schema={"email": pl.String})
    )
    cached = pl.DataFrame(schema={"address": pl.String, "valid": pl.Boolean})
    with connect(warehouse, read_only=True) as con:
        if table_exists(con, "exports", "email_checks"):
            con.register("_rapport_addresses", addresses.to_arrow())
            cached = con.sql(
                "select address, valid from exports.email_checks"
                " where validator = $v and address in (select email from _rapport_addresses)",
                params={"v": VALIDATOR},
            ).pl()
    todo = addresses.filter(~pl.col("email").is_in(cached["address"].implode()))["email"].to_list()
    new = pl.DataFrame(
        {"address": todo, "valid": validated(todo)},  # plain shapes by regex, the rest by email_validator
        schema={"address": pl.String, "valid": pl.Boolean},
    )
    verdicts = dict(zip(cached["address"], cached["valid"], strict=True))
    verdicts.update(zip(new["address"], new["valid"], strict=True))
    with known_verdicts(verdicts):
        yield EmailChecks(cached.height, new, addresses)
