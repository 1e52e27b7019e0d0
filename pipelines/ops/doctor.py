"""`rapport doctor`: check a deployment's settings and say what to fix."""

from __future__ import annotations

import fcntl
import os
import socket
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from pipelines.settings import Settings


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str  # what was found, or what to fix


def _writable(name: str, path: Path) -> Check:
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path):
            pass
        return Check(name, True, str(path))
    except OSError as exc:
        return Check(name, False, f"{path} is not writable ({exc.strerror}): fix its owner or permissions")


def _folder(name: str, path: Path, hint: str) -> Check:
    return Check(name, path.is_dir(), str(path) if path.is_dir() else f"{path} does not exist: {hint}")


def _warehouse_free(settings: Settings) -> Check:
    """Our lock file says whether a rapport task holds it; DuckDB's own lock catches other
    processes (a notebook, a BI tool) that opened the file directly."""
    path = settings.warehouse_path
    if not path.exists():
        return Check("warehouse", True, f"{path} not created yet (the first run creates it)")
    lock = path.with_suffix(path.suffix + ".lock")
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            from pipelines.warehouse import holder

            return Check("warehouse", False, f"{path} is in use by {holder(lock)}: wait for it")
        try:
            import duckdb

            duckdb.connect(str(path)).close()
        except duckdb.IOException as exc:
            return Check("warehouse", False, f"{path} is locked by another process: close it ({exc})")
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
    return Check("warehouse", True, f"{path} not locked")


def _shop_db(settings: Settings) -> Check:
    if not settings.shop_db_url:
        return Check("shop database", True, "not configured (RAPPORT_SHOP_DB_URL): landing files only")
    from pipelines.extract.errors import ExtractError, redact
    from pipelines.extract.source import check_schema, connect

    try:
        con = connect(settings.shop_db_url, attempts=1)
        try:
            check_schema(con, settings.shop_db_schema)
        finally:
            con.close()
    except ExtractError as exc:
        return Check("shop database", False, f"{exc}: check RAPPORT_SHOP_DB_URL and the server")
    return Check("shop database", True, f"{redact(settings.shop_db_url)} reachable, tables match")


def _reachable(name: str, url: str | None, default_port: int) -> Check:
    if not url:
        return Check(name, True, "not configured")
    parts = urlsplit(url)
    if not parts.hostname:
        # never the URL itself: it may carry a token (path, query or userinfo)
        return Check(name, False, "the URL has no host: use scheme://host[:port]/...")
    try:
        socket.create_connection((parts.hostname, parts.port or default_port), timeout=5).close()
    except OSError as exc:
        return Check(name, False, f"{parts.hostname}:{parts.port or default_port} unreachable ({exc})")
    return Check(name, True, f"{parts.hostname}:{parts.port or default_port} reachable")


def run_checks(settings: Settings) -> list[Check]:
    checks: list[Callable[[], Check]] = [
        lambda: _writable("home", settings.home),
        lambda: _folder("landing", settings.landing, "create it, mount it, or set RAPPORT_LANDING_DIR"),
        lambda: _writable("exports", settings.export_dir),
        lambda: _writable("quality", settings.quality_dir),
        lambda: _folder("dbt project", settings.dbt_project_dir, "set RAPPORT_DBT_PROJECT_DIR"),
        lambda: _folder("expectations", settings.expectations_dir, "set RAPPORT_EXPECTATIONS_DIR"),
        lambda: _warehouse_free(settings),
        lambda: _shop_db(settings),
        lambda: _reachable("alert webhook", settings.alert_webhook_url, 443),
        lambda: _reachable("alert smtp", settings.alert_smtp_url, 25),
    ]
    results = [check() for check in checks]
    if settings.alert_smtp_url and not settings.alert_email_to:
        results.append(Check("alert mail", False, "set RAPPORT_ALERT_EMAIL_TO too"))
    if os.environ.get("AIRFLOW__API_AUTH__JWT_SECRET", "x") == "":
        results.append(Check("airflow", False, "AIRFLOW__API_AUTH__JWT_SECRET is empty: set one secret"))
    return results
