"""POST a segment's changes as JSON batches, each with an idempotency key.

The key is a hash of what the batch means (destination, segment, day, operation, batch
number, content): a retried request or a re-run export carries the same key, so the
receiver can drop the repeat, and batches the ledger already holds are not sent at all.
Retries: 429 and 5xx, timeouts and connection errors, with exponential backoff, waiting
at least what Retry-After asks for (capped so a hostile header cannot stall the DAG).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import httpx
import polars as pl

from pipelines.export.secrets import redact, scrub

RETRY_AFTER_CAP = 60.0


@dataclass(frozen=True)
class Batch:
    key: str
    op: str  # add | update | remove
    body: bytes
    records: int


class WebhookFailed(RuntimeError):
    """A batch was still refused after every attempt; later batches were not sent."""


def batches(
    rows: dict[str, pl.DataFrame], *, destination: str, segment: str, as_of: str, size: int
) -> Iterator[Batch]:
    """Deterministic batches for ops add/update/remove (rows sorted by customer_id)."""
    for op, frame in rows.items():
        ordered = frame.sort("customer_id")
        for number, start in enumerate(range(0, ordered.height, size)):
            records = ordered.slice(start, size).to_dicts()
            content = json.dumps(records, sort_keys=True, ensure_ascii=False)
            key = hashlib.sha256(
                f"{destination}|{segment}|{as_of}|{op}|{number}|{content}".encode()
            ).hexdigest()[:40]
            body = {
                "destination": destination, "segment": segment, "as_of": as_of, "op": op,
                "batch": number, "idempotency_key": key, "records": records,
            }  # fmt: skip
            payload = json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")
            yield Batch(key, op, payload, len(records))


def _wait(response: httpx.Response | None, attempt: int, backoff: float) -> float:
    delay = backoff * 2**attempt
    header = response.headers.get("Retry-After") if response is not None else None
    if header and header.strip().isdigit():
        delay = max(delay, float(header))
    return min(delay, RETRY_AFTER_CAP)


def deliver(
    url: str,
    token: str | None,
    todo: list[Batch],
    on_sent: Callable[[Batch], None],
    *,
    timeout: float = 10.0,
    max_attempts: int = 5,
    backoff: float = 0.5,
) -> int:
    """Send every batch in order; `on_sent` records each one as soon as it is accepted."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    sent, shown = 0, redact(url)
    # httpx logs every request's full URL at INFO: keep the query out of task logs
    logging.getLogger("httpx").setLevel(logging.WARNING)
    with httpx.Client(timeout=timeout, trust_env=False) as client:
        for batch in todo:
            for attempt in range(max_attempts):
                response: httpx.Response | None = None
                try:
                    response = client.post(
                        url, content=batch.body, headers={**headers, "Idempotency-Key": batch.key}
                    )
                except httpx.TransportError as e:  # timeouts, refused or reset connections
                    error = scrub(f"{type(e).__name__}: {e}", url, token)
                else:
                    if response.is_success:
                        break
                    error = f"HTTP {response.status_code}"
                    if response.status_code != 429 and response.status_code < 500:
                        raise WebhookFailed(f"{shown} refused batch {batch.key}: {error}")
                if attempt + 1 < max_attempts:
                    time.sleep(_wait(response, attempt, backoff))
            else:
                # `from None`: the transport error's own text may carry the full URL
                raise WebhookFailed(
                    f"{shown}: batch {batch.key} failed {max_attempts} times: {error}"
                ) from None
            on_sent(batch)
            sent += 1
    return sent
