"""Failure alerts reach a webhook and an SMTP server on loopback; doctor says what to fix."""

from __future__ import annotations

import fcntl
import json
import socketserver
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest

from pipelines.ops.alert import alert, summarize
from pipelines.ops.doctor import run_checks
from pipelines.settings import Settings

CONTEXT = {
    "task_instance": SimpleNamespace(
        task_id="dbt_build", dag_id="rapport_daily", try_number=3, log_url="http://x/log"
    ),
    "run_id": "scheduled__2026-07-01",
    "ds": "2026-07-01",
    "exception": RuntimeError("source freshness failed for as-of 2026-07-01\n  source shop.orders: error"),
}


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict]]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", received
    server.shutdown()


@pytest.fixture
def smtp() -> Iterator[tuple[str, list[str]]]:
    """Just enough SMTP to accept one message."""
    mails: list[str] = []

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            self.wfile.write(b"220 test\r\n")
            data = False
            body: list[str] = []
            for raw in self.rfile:
                line = raw.decode().rstrip("\r\n")
                if data:
                    if line == ".":
                        data = False
                        mails.append("\n".join(body))
                        self.wfile.write(b"250 ok\r\n")
                    else:
                        body.append(line)
                elif line.upper().startswith("DATA"):
                    data = True
                    self.wfile.write(b"354 go\r\n")
                elif line.upper().startswith("QUIT"):
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"smtp://127.0.0.1:{server.server_address[1]}", mails
    server.shutdown()
    server.server_close()


def test_the_summary_names_task_run_and_error() -> None:
    text = summarize(CONTEXT)
    assert "task dbt_build of rapport_daily failed" in text
    assert "scheduled__2026-07-01" in text and "try 3" in text
    assert "RuntimeError: source freshness failed" in text and "shop.orders" in text


def test_alerts_go_to_the_webhook_and_by_mail(tmp_path: Path, webhook, smtp) -> None:
    url, posts = webhook
    smtp_url, mails = smtp
    settings = Settings(
        home=tmp_path, alert_webhook_url=url, alert_smtp_url=smtp_url, alert_email_to="ops@example.org"
    )
    assert alert(summarize(CONTEXT), settings) == ["log", "webhook", "mail"]
    assert "dbt_build" in posts[0]["text"]
    assert "Subject: rapport: task dbt_build of rapport_daily failed" in mails[0]


def test_a_broken_webhook_does_not_raise(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, alert_webhook_url="http://127.0.0.1:9/nothing")
    sent = alert("boom", settings)
    assert sent[0] == "log" and sent[1].startswith("webhook failed")


def test_doctor_passes_a_sound_setup_and_names_what_to_fix(tmp_path: Path) -> None:
    (tmp_path / "landing").mkdir()
    assert all(c.ok for c in run_checks(Settings(home=tmp_path))), run_checks(Settings(home=tmp_path))
    settings = Settings(home=tmp_path, landing_dir=tmp_path / "nowhere").model_copy(
        update={"shop_db_url": "postgresql://u:pw@127.0.0.1:9/shop", "extract_retry_seconds": 0}
    )
    settings.warehouse_path.write_bytes(b"")
    lock = settings.warehouse_path.with_suffix(".duckdb.lock")
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running task holds it
        failed = {c.name: c.detail for c in run_checks(settings) if not c.ok}
    assert "RAPPORT_LANDING_DIR" in failed["landing"]
    assert "in use" in failed["warehouse"]
    assert "unreachable" in failed["shop database"] and "pw" not in failed["shop database"]


def test_no_alert_credential_reaches_the_log_or_the_result(tmp_path: Path, caplog) -> None:
    # a Slack-style webhook: the path is the credential; a space makes http.client quote it back
    webhook = "http://127.0.0.1:9/services/T0/B0/SECRETPATH?token=SECRETQUERY x"
    settings = Settings(
        home=tmp_path,
        alert_webhook_url=webhook,
        alert_smtp_url="smtp://ops:SECRETPASSWORD@127.0.0.1:9",
        alert_email_to="ops@example.org",
    )
    with caplog.at_level("DEBUG"):
        sent = alert("boom", settings)
    assert sent[1].startswith("webhook failed") and sent[2].startswith("mail failed")
    shown = " ".join(sent) + caplog.text
    assert "SECRET" not in shown
    checks = run_checks(Settings(home=tmp_path, alert_webhook_url="hooks.example.org/services/SECRETPATH"))
    assert "SECRET" not in " ".join(c.detail for c in checks)
