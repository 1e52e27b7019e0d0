"""CPU seconds and peak memory of a process tree (dbt on Spark: Python, the JVM, Spark's Python workers).

The JVM is a grandchild of the process we start (pyspark launches it) and is not always waited
for, so getrusage(RUSAGE_CHILDREN) misses it; this samples the tree with psutil instead: CPU
per process as last seen (a process that ends loses at most one interval), peak resident memory
of the largest process (the driver JVM in local mode) and of the whole tree.
"""

from __future__ import annotations

import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import psutil


@dataclass
class Usage:
    cpu_seconds: float = 0.0  # user + system, every process of the tree
    peak_process_rss: int = 0  # bytes, the largest single process
    peak_tree_rss: int = 0  # bytes, the whole tree at one sample

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.cpu_seconds + other.cpu_seconds,
            max(self.peak_process_rss, other.peak_process_rss),
            max(self.peak_tree_rss, other.peak_tree_rss),
        )


def run_measured(
    cmd: list[str], env: dict[str, str], cwd: Path, interval: float = 0.5
) -> tuple[subprocess.CompletedProcess[str], Usage]:
    """Run `cmd` (stdout/stderr captured as text) and sample its process tree until it ends."""
    usage, cpu = Usage(), dict[int, float]()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(proc.pid)
        while not done.wait(interval):
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for p in tree:
                try:
                    times, rss = p.cpu_times(), p.memory_info().rss
                except psutil.NoSuchProcess:
                    continue
                cpu[p.pid] = times.user + times.system
                usage.peak_process_rss = max(usage.peak_process_rss, rss)
                total += rss
            usage.peak_tree_rss = max(usage.peak_tree_rss, total)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    usage.cpu_seconds = sum(cpu.values())
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err), usage
