"""Errors an extraction raises, each saying what to fix."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


class ExtractError(RuntimeError):
    """The shop database cannot be extracted as it is (schema problem): retrying will not help."""


class SourceUnavailable(ExtractError):
    """The shop database did not answer: transient, Airflow retries the task."""


def redact(url: str) -> str:
    """The URL without its password, fit for logs and error messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))
