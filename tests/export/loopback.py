"""A real HTTP receiver on 127.0.0.1 for webhook tests, with scripted faults.

It applies each idempotency key once (as a well-behaved receiver would) and counts
every request, so a test can tell "sent twice" from "applied twice".
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Receiver:
    url: str = ""
    faults: list[str] = field(default_factory=list)  # consumed one per request: 400|503|429|slow|ok
    slow_seconds: float = 1.0
    requests: int = 0
    applied: Counter[str] = field(default_factory=Counter)
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def handle(self, key: str, body: dict[str, Any], auth: str) -> tuple[int, dict[str, str]]:
        with self.lock:
            self.requests += 1
            self.tokens.add(auth)
            fault = self.faults.pop(0) if self.faults else "ok"
        if fault in ("400", "503"):
            return int(fault), {}
        if fault == "429":
            return 429, {"Retry-After": "1"}
        if fault == "slow":  # applied, but the answer comes after the client gave up
            time.sleep(self.slow_seconds)
        with self.lock:
            if key not in self.bodies:
                self.applied[key] += 1
                self.bodies[key] = body
        return 200, {}


@contextmanager
def receiver(faults: list[str] | None = None) -> Iterator[Receiver]:
    state = Receiver(faults=list(faults or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            status, headers = state.handle(
                self.headers["Idempotency-Key"], body, self.headers.get("Authorization", "")
            )
            try:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out first

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
