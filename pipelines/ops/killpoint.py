"""Fault injection: `RAPPORT_KILL_AT=<point>` makes this process SIGKILL itself at that point.

The hook lives in the code paths themselves (not patched in from a test), so the
fault-injection suite kills the real stage exactly where a crash or an OOM kill would.
Unset (always, outside tests) it costs one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "RAPPORT_KILL_AT"


def kill_point(name: str) -> None:
    """SIGKILL, not an exception: nothing in this process gets to clean up, as in a real crash."""
    if name in os.environ.get(ENV, "").split(","):
        os.kill(os.getpid(), signal.SIGKILL)
