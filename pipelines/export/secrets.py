"""Webhook secrets: where a token may come from, and how a URL may appear in text.

A token comes from an environment variable or an Airflow connection, never from the
config file or the URL. Airflow connections defined in the environment
(`AIRFLOW_CONN_<ID>`, URI or JSON form) are read here directly; others through the
`connection_password` lookup that the orchestrator injects (the DAG passes Airflow's), so
this package never imports Airflow.
Anything printed, raised or stored shows a URL only as scheme://host[:port]/path.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

# query parameters that carry credentials (?token=, ?api_key=, ?sig=...)
SECRET_PARAM = re.compile(r"(^|[_-])(token|key|secret|sig|signature|password|passwd|pwd|auth|apikey)$", re.I)


def redact(url: str) -> str:
    """scheme://host[:port]/path: no user, password, query or fragment."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<unparseable url>"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}{parts.path}"


def scrub(text: str, url: str, *secrets: str | None) -> str:
    """`text` with the URL (and its query) redacted and every secret value masked."""
    out = text.replace(url, redact(url))
    query = urlsplit(url).query
    hidden = [query, *(s for s in secrets if s)] if query else [s for s in secrets if s]
    for value in sorted(hidden, key=len, reverse=True):
        out = out.replace(value, "***")
    return out


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def url_problem(url: str | None) -> str | None:
    """Why a webhook URL is refused, or None."""
    try:
        parts = urlsplit(url or "")
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        return "a webhook needs a valid https `url`"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "a webhook needs an https `url`"
    if parts.username is not None or parts.password is not None:
        return "credentials in the webhook `url` are refused: give the token as `token_env` or `conn_id`"
    names = [p.split("=", 1)[0] for p in parts.query.split("&") if p]
    if any(SECRET_PARAM.search(unquote(n)) for n in names):
        return "a credential in the webhook `url` query is refused: give it as `token_env` or `conn_id`"
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return "plain http is refused (tokens and people's data would travel in clear): use https"
    return None


def _from_env_connection(value: str) -> str | None:
    if value.lstrip().startswith("{"):
        password = json.loads(value).get("password")
        return str(password) if password else None
    password = urlsplit(value).password
    return unquote(password) if password else None


ConnectionPassword = Callable[[str], str | None]


def webhook_token(
    token_env: str | None, conn_id: str | None, connection_password: ConnectionPassword | None = None
) -> str | None:
    """The Bearer token, or None when the destination takes none; a missing one is an error
    naming where it was looked for (never its value)."""
    if token_env:
        token = os.environ.get(token_env)
        if not token:
            raise RuntimeError(f"webhook token env var {token_env} is not set")
        return token
    if not conn_id:
        return None
    env = os.environ.get(f"AIRFLOW_CONN_{conn_id.upper()}")
    if env:
        token = _from_env_connection(env)
    elif connection_password is not None:
        token = connection_password(conn_id)
    else:
        raise RuntimeError(
            f"Airflow connection {conn_id} is not in the environment (AIRFLOW_CONN_{conn_id.upper()}):"
            " set it there, or export from the DAG, which reads Airflow's connections"
        )
    if not token:
        raise RuntimeError(f"Airflow connection {conn_id} has no password (the webhook token)")
    return token
