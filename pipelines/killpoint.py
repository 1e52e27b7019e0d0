"""Fault injection: `RAPPORT_KILL_AT=<point>` makes this process SIGKILL itself at that point.

The hook lives in the code paths themselves (not patched in from a test), so the
fault-injection suite kills the real stage exactly where a crash or an OOM kill would.
Unset (always, outside tests) it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal
import threading

ENV = "RAPPORT_KILL_AT"


def _kill() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def kill_point(name: str) -> None:
    """SIGKILL, not an exception: nothing in this process gets to clean up, as in a real crash.

    `<point>@<seconds>` kills that long after reaching the point (e.g. `dbt:running@8`: in the
    middle of a dbt build the process is waiting on)."""
    for wanted in os.environ.get(ENV, "").split(","):
        point, _, delay = wanted.partition("@")
        if point != name:
            continue
        if not delay:
            _kill()
        timer = threading.Timer(float(delay), _kill)
        timer.daemon = True
        timer.start()
