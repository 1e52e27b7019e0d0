from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest

from pipelines.export.destinations.webhook import WebhookFailed, batches, deliver
from tests.export.factories import AS_OF, export, files_under, person, write_segments
from tests.export.loopback import receiver

DAY2 = date(2024, 3, 2)


def hook_config(url: str, attempts: int = 4) -> str:
    return f"""
destinations:
  hook:
    type: webhook
    url: {url}
    token_env: TEST_HOOK_TOKEN
    segments: [champions]
    batch_size: 4
    timeout_seconds: 0.5
    max_attempts: {attempts}
    backoff_seconds: 0.05
"""


def test_batches_survive_errors_throttling_and_timeouts_and_apply_once() -> None:
    rows = pl.DataFrame(
        {"customer_id": [f"c{i}" for i in range(10)], "email": [f"{i}@x.io" for i in range(10)]}
    )
    todo = list(batches({"add": rows}, destination="d", segment="s", as_of="2024-03-01", size=4))
    assert [b.records for b in todo] == [4, 4, 2]
    acknowledged: list[str] = []
    with receiver(["503", "429", "slow", "503"]) as hook:
        sent = deliver(hook.url, "tok", todo, lambda b: acknowledged.append(b.key), timeout=0.5, backoff=0.05)
    assert sent == 3 and acknowledged == [b.key for b in todo]
    assert dict(hook.applied) == {b.key: 1 for b in todo}, "each batch applied exactly once"
    assert hook.requests == 3 + 4, "one retry per injected fault"
    assert hook.tokens == {"Bearer tok"}
    assert [r["customer_id"] for b in todo for r in hook.bodies[b.key]["records"]] == rows[
        "customer_id"
    ].to_list()


def test_a_client_error_is_not_retried() -> None:
    todo = list(
        batches(
            {"add": pl.DataFrame({"customer_id": ["c1"]})}, destination="d", segment="s", as_of="x", size=5
        )
    )
    with receiver(["400"]) as hook:
        with pytest.raises(WebhookFailed, match=r"refused .*HTTP 400"):
            deliver(hook.url, None, todo, lambda b: None, backoff=0.01)
        assert hook.requests == 1 and not hook.applied
    # nobody listening: a transport error, retried, then given up
    with pytest.raises(WebhookFailed, match="failed 2 times"):
        deliver("http://127.0.0.1:9/", None, todo, lambda b: None, timeout=0.2, max_attempts=2, backoff=0.01)


def test_export_sends_changes_once_and_a_rerun_sends_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TEST_HOOK_TOKEN", "s3cret")
    people = [person(i) for i in range(10)]
    write_segments(tmp_path / "w.duckdb", people, people)
    with receiver(["503", "slow"]) as hook:
        first = export(tmp_path, config=hook_config(hook.url))
        assert first.delivery("hook", "champions").batches_sent == 3
        again = export(tmp_path, run_id="run-2", config=hook_config(hook.url))
        assert again.delivery("hook", "champions").batches_sent == 0
        assert sum(hook.applied.values()) == 3 and set(hook.applied.values()) == {1}
        assert hook.tokens == {"Bearer s3cret"}

        write_segments(tmp_path / "w.duckdb", [*people[2:], person(11)], people)
        requests = hook.requests
        hook.faults = ["503"] * 10  # the receiver is down: the run fails, nothing is swapped in
        with pytest.raises(WebhookFailed):
            export(tmp_path, as_of=DAY2, config=hook_config(hook.url, attempts=2))
        assert not (tmp_path / "exports" / DAY2.isoformat()).exists()
        hook.faults = []
        day2 = export(tmp_path, as_of=DAY2, config=hook_config(hook.url))
        assert hook.requests > requests
    ops = sorted(
        (body["op"], r["customer_id"]) for body in hook.bodies.values() if body["as_of"] == DAY2.isoformat()
        for r in body["records"]
    )  # fmt: skip
    assert ops == [("add", "c0011"), ("remove", "c0000"), ("remove", "c0001")]
    assert (day2.delivery("hook", "champions").added, day2.delivery("hook", "champions").removed) == (1, 2)
    assert files_under(tmp_path / "exports") == [f"{AS_OF}/manifest.json", f"{DAY2}/manifest.json", "latest"]
