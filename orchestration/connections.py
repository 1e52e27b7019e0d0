"""Airflow's connection lookup, injected into the export (which never imports Airflow)."""

from __future__ import annotations


def airflow_connection_password(conn_id: str) -> str | None:
    """The password (a webhook's token) of an Airflow connection, inside a running task."""
    from airflow.sdk import Connection

    return Connection.get(conn_id).password
