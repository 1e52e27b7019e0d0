"""dbt-duckdb plugin (profiles.yml `plugins`): the identity rule and E.164 on every dbt cursor.

Models call `rapport_email_key(...)`, `rapport_phone_key(...)`, `rapport_id_key(...)`
(pipelines/identity.py's temp macros), `rapport_phone_e164(phone, country)` and
`rapport_phone_rules_version()` (pipelines/phones.py) and `rapport_hmac(...)` (the erasure
key's HMAC, pipelines/erasure_key.py: int_customers_erased recognises people erased earlier by
the keyed digests forget and the export remembered). Temp macros and Python UDFs belong to
one DuckDB connection and each dbt thread works on its own cursor, so every cursor gets the
macros; a Python UDF is the database's (a cursor sees its parent's), so it is registered once.
Spark registers the same names in its session (scripts/spark_dbt.py).
"""

from __future__ import annotations

import os
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection

from pipelines import erasure_key, identity, phones
from pipelines.transform import READ_ONLY


def _macros(con: DuckDBPyConnection) -> None:
    identity.install(con)
    erasure_key.install_hmac(con)
    # a macro, not a UDF: a constant DuckDB can fold
    con.execute(f"create or replace temp macro rapport_phone_rules_version() as '{phones.VERSION}'")


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
            phones.e164,
            ["VARCHAR", "VARCHAR"],
            "VARCHAR",
            type="arrow",
            null_handling="special",
        )
        _macros(conn)

    def configure_cursor(self, cursor: Any) -> None:
        _macros(cursor)
