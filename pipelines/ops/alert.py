"""Failure alerts: a clear summary in the task log, and to a webhook and/or by mail.

Airflow calls `on_task_failure(context)` when a task has failed for good (retries used
up). Sending is best effort: a broken webhook must not hide the original failure, so
delivery errors are logged, never raised.
"""

from __future__ import annotations

import json
import logging
import smtplib
import urllib.request
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

from pipelines.settings import Settings, get_settings

log = logging.getLogger("rapport.alert")


def summarize(context: dict[str, Any]) -> str:
    ti = context.get("task_instance") or context.get("ti")
    error = context.get("exception")
    first = str(error).strip().splitlines() if error else []
    return "\n".join(
        [
            f"rapport: task {getattr(ti, 'task_id', '?')} of {getattr(ti, 'dag_id', '?')} failed",
            f"run: {context.get('run_id', '?')} (as-of {context.get('ds', '?')}),"
            f" try {getattr(ti, 'try_number', '?')}",
            f"error: {type(error).__name__ + ': ' if error else ''}{' | '.join(first[:6]) or 'unknown'}",
            f"log: {getattr(ti, 'log_url', '') or 'see the Airflow UI'}",
        ]
    )


def post_webhook(url: str, text: str, timeout: float = 10.0) -> None:
    """Slack-compatible incoming webhook: JSON {"text": ...}."""
    body = json.dumps({"text": text}).encode()
    request = urllib.request.Request(url, body, {"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        response.read()


def send_mail(smtp_url: str, sender: str, to: str, text: str, timeout: float = 10.0) -> None:
    parts = urlsplit(smtp_url)
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, text.splitlines()[0]
    message.set_content(text)
    smtp_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with smtp_class(parts.hostname or "localhost", parts.port or 0, timeout=timeout) as smtp:
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(message)


def _hidden(text: str, *urls: str | None) -> str:
    """`text` with each URL redacted as the export webhooks' are, plus its path and password:
    a Slack/Teams incoming-webhook path is itself the credential."""
    # imported here: the DAG file imports this module in every task process, and the export
    # package behind it costs ~1.5 s of CPU (polars, ...) before any task's work
    from pipelines.export.secrets import scrub

    for url in urls:
        if url:
            parts = urlsplit(url)
            text = scrub(text, url, parts.path if parts.path not in ("", "/") else None, parts.password)
    return text


def alert(text: str, settings: Settings) -> list[str]:
    """Log and deliver `text`; returns where it went (or why it did not)."""
    log.error(text)
    sent: list[str] = ["log"]
    webhook, smtp, to = settings.alert_webhook_url, settings.alert_smtp_url, settings.alert_email_to
    targets: list[tuple[str, Callable[[], None]]] = []
    if webhook:
        targets.append(("webhook", lambda: post_webhook(webhook, text)))
    if smtp and to:
        targets.append(("mail", lambda: send_mail(smtp, settings.alert_email_from, to, text)))
    for name, deliver in targets:
        try:
            deliver()
            sent.append(name)
        except Exception as exc:  # best effort: never mask the task's own failure
            reason = _hidden(str(exc), webhook, smtp)
            log.warning("alert via %s failed: %s", name, reason)
            sent.append(f"{name} failed: {reason}")
    return sent


def on_task_failure(context: dict[str, Any]) -> None:
    alert(summarize(context), get_settings())
