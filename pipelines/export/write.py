"""Write one destination's files into the staged day folder, or send its webhook batches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipelines.export.config import Destination
from pipelines.export.destinations.webhook import Batch, batches, deliver
from pipelines.export.diff import Diff
from pipelines.export.formats import file_bytes
from pipelines.export.paths import confined
from pipelines.export.secrets import ConnectionPassword, webhook_token
from pipelines.files import atomic_write, sha256


def write_files(staged: Path, destination: str, dest: Destination, segment: str, d: Diff) -> dict[str, str]:
    """<dest>/<segment>.<ext> (full list), .added and .removed; returns path -> sha256."""
    ext = "parquet" if dest.type == "parquet" else "csv"
    written = {}
    full = file_bytes(dest.type, d.full)
    for suffix, rows in (("", d.full), (".added", d.added), (".removed", d.removed)):
        name = f"{segment}{suffix}.{ext}"
        # a first export adds its whole list: the same rows, so the same bytes, serialised once
        same = rows is d.full or (
            rows.height == d.full.height and rows.schema == d.full.schema and rows.equals(d.full)
        )
        data = full if same else file_bytes(dest.type, rows)
        atomic_write(confined(staged, destination, name), data)
        written[f"{destination}/{name}"] = sha256(data)
    return written


def send_webhook(
    destination: str,
    dest: Destination,
    segment: str,
    as_of: str,
    d: Diff,
    already_sent: set[str],
    on_sent: Callable[[Batch], None],
    connection_password: ConnectionPassword | None = None,
) -> int:
    """adds, updates (changed attributes) and removes, minus batches already acknowledged."""
    todo = [
        b
        for b in batches(
            {"add": d.added, "update": d.changed, "remove": d.removed},
            destination=destination,
            segment=segment,
            as_of=as_of,
            size=dest.batch_size,
        )
        if b.key not in already_sent
    ]
    if not todo:
        return 0
    assert dest.url is not None  # validated in config
    return deliver(
        dest.url,
        webhook_token(dest.token_env, dest.conn_id, connection_password),
        todo,
        on_sent,
        timeout=dest.timeout_seconds,
        max_attempts=dest.max_attempts,
        backoff=dest.backoff_seconds,
    )
