"""Webhook secrets: refused in the URL, taken from env or Airflow connections, never shown."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pytest

from pipelines.export.config import ConfigError
from pipelines.export.secrets import redact
from tests.export.factories import export, person, write_segments
from tests.export.loopback import receiver

TOKEN = "tok-Zq81-never-shown"


def _config(url: str, auth: str = "token_env: TEST_HOOK_TOKEN", attempts: int = 2) -> str:
    return f"""
destinations:
  hook:
    type: webhook
    url: "{url}"
    {auth}
    segments: [champions]
    timeout_seconds: 0.5
    max_attempts: {attempts}
    backoff_seconds: 0.01
"""


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://user:pa55@hooks.example.com/x", "credentials in the webhook `url`"),
        ("https://hooks.example.com/x?token=abc", "credential in the webhook `url` query"),
        ("https://hooks.example.com/x?team=1&API_KEY=abc", "credential in the webhook `url` query"),
        ("http://hooks.example.com/x", "plain http is refused"),
        ("ftp://hooks.example.com/x", "needs an https `url`"),
    ],
)
def test_config_refuses_credentials_in_urls_and_plain_http(tmp_path: Path, url: str, why: str) -> None:
    write_segments(tmp_path / "w.duckdb", [person(1)], [])
    with pytest.raises(ConfigError, match=why) as refused:
        export(tmp_path, config=_config(url))
    assert "pa55" not in str(refused.value) and "abc" not in str(refused.value)


def test_loopback_http_and_https_are_accepted_and_redaction_keeps_only_where() -> None:
    assert redact("https://u:p@hooks.example.com:8443/a/b?x=1#f") == "https://hooks.example.com:8443/a/b"
    assert redact("http://[::1]:9/h?sig=2") == "http://[::1]:9/h"


@pytest.mark.parametrize(
    "connection",
    ['{"conn_type": "http", "host": "x", "password": "c0nn/tok"}', "http://svc:c0nn%2Ftok@hooks.example.com"],
)
def test_the_token_comes_from_an_airflow_connection_and_is_sent_as_bearer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, connection: str
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_HOOK_CONN", connection)
    write_segments(tmp_path / "w.duckdb", [person(1), person(2)], [])
    with receiver() as hook:
        export(tmp_path, config=_config(hook.url, auth="conn_id: hook_conn"))
    assert hook.tokens == {"Bearer c0nn/tok"}


def test_a_failing_webhook_leaves_no_secret_in_logs_stderr_or_the_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    monkeypatch.setenv("TEST_HOOK_TOKEN", TOKEN)
    write_segments(tmp_path / "w.duckdb", [person(1), person(2)], [])
    caplog.set_level(logging.DEBUG)
    with receiver(["503"] * 10) as hook:
        url = hook.url + "?team=crm-7f3a"  # a query may hold anything: never shown
        with pytest.raises(Exception) as failed:
            export(tmp_path, config=_config(url))
        assert hook.tokens == {f"Bearer {TOKEN}"}, "the configured Bearer token is what is sent"
    out, err = capfd.readouterr()
    shown = "\n".join([str(failed.value), repr(failed.value), out, err, caplog.text])
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        tables = con.execute("select table_schema, table_name from information_schema.tables").fetchall()
        for schema, table in tables:
            shown += "\n" + str(con.execute(f'select * from "{schema}"."{table}"').fetchall())
        assert con.execute("select count(*) from exports.runs where status = 'failed'").fetchall() == [(1,)]
    for path in tmp_path.rglob("*"):
        # everything rapport wrote (the config file with the URL is the user's own)
        if path.is_file() and path.suffix != ".duckdb" and path.name != "destinations.yml":
            shown += path.read_text(errors="replace")
    assert "HTTP 503" in shown, "the error itself is kept"
    assert TOKEN not in shown and "crm-7f3a" not in shown and "team=" not in shown
