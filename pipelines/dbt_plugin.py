"""dbt-duckdb plugin (profiles.yml `plugins`): the identity rule and E.164 on every dbt cursor.

Models call `rapport_email_key(...)`, `rapport_phone_key(...)`, `rapport_id_key(...)`
(pipelines/identity.py's temp macros), `rapport_phone_e164(phone, country)` and
`rapport_phone_rules_version()` (pipelines/phones.py) and `rapport_hmac(...)` (the erasure
key's HMAC, pipelines/erasure_key.py: int_customers_erased recognises people erased earlier by
the keyed digests forget and the export remembered). dbt-duckdb opens a cursor (a
connection of its own) for every node, and a temp macro belongs to one connection: defining the
14 macros on each cursor cost ~10-30 ms a node (~160 nodes a build). So the macros are defined
once, in an in-memory catalog attached to the database (`rapport_functions`: nothing is written
to the warehouse file), and each cursor only puts that catalog on its search path; a Python UDF
is the database's (a cursor sees its parent's), so it is registered once too.
Spark registers the same names in its session (scripts/spark_dbt.py).
"""

from __future__ import annotations

import os
from typing import Any

import phonenumbers
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from pipelines import erasure_key, identity
from pipelines.transform import READ_ONLY

FUNCTIONS = "rapport_functions"  # the attached in-memory catalog holding the macros
# the default search path (temp, then the warehouse's main, then the system's) with the macros
_SEARCH_PATH = f"set search_path = 'main,{FUNCTIONS}.main'"


def _macros(con: DuckDBPyConnection) -> None:
    # READ_WRITE: a read-only warehouse (docs) cannot otherwise attach an in-memory database
    con.execute(f"attach if not exists ':memory:' as {FUNCTIONS} (READ_WRITE)")
    con.execute(_SEARCH_PATH)  # the macros call each other by name
    identity.install(con, into=FUNCTIONS)
    erasure_key.install_hmac(con, into=FUNCTIONS)
    # a macro, not a UDF: a constant DuckDB can fold (pipelines.phones.VERSION, without its pyarrow)
    version = phonenumbers.__version__
    con.execute(f"create or replace macro {FUNCTIONS}.main.rapport_phone_rules_version() as '{version}'")


def _e164(phones: Any, countries: Any) -> Any:
    """pipelines.phones.e164, imported at the first call: it loads pyarrow (~0.1 s a process), and
    most dbt commands (freshness, docs, the CLV build) call no phone UDF."""
    from pipelines.phones import e164

    return e164(phones, countries)


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        # run_dbt(read_only=True) sets it for a command that only reads (docs): the file opens
        # read-only, beside other readers. Not a profile setting: a profile that differed between
        # commands would make dbt re-parse the whole project.
        if os.environ.get(READ_ONLY) == "1":
            config["access_mode"] = "READ_ONLY"

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        # Any: duckdb's stubs take the enum members, not the strings the API also accepts
        con: Any = conn
        con.create_function(
            "rapport_phone_e164",
            _e164,
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
            type="arrow",
            null_handling="special",
        )
        _macros(conn)

    def configure_cursor(self, cursor: Any) -> None:
        cursor.execute(_SEARCH_PATH)
