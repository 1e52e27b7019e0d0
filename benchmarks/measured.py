"""One fresh process measured as the benchmarks count it, and one line of their table."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(code: str, env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds, peak RSS (MiB) and CPU seconds (user + sys) of one fresh process, its children included."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {code[:200]}")
    return elapsed, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def row(name: str, seconds: float, peak: float, floor: float | None = None, cpu: float | None = None) -> None:
    ratio = f"{seconds / floor:>9.1f}x" if floor else ""
    used = f"{cpu:>9.1f}" if cpu is not None else " " * 9
    print(f"{name:<30}{seconds:>9.1f}{used}{peak:>10.0f}{ratio}", flush=True)
