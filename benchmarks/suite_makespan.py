"""The test suite's wall time on N workers, simulated from measured per-test durations.

Reads pytest's `--durations=0` lines (setup + call + teardown per test, from any run: one file at a
time or the whole suite) and replays pytest-xdist's group scheduler (xdist/scheduler/loadscope.py):
a worker gets one unit of work at the start plus one more while it holds two tests or fewer, and
another unit each time a test ends and it is down to two. Prints the makespan for `--dist loadfile`
as CI ran it before (files sorted by test count) and for the groups and order of tests/conftest.py.

    uv run --frozen python benchmarks/suite_makespan.py durations.txt [more.txt ...] [--workers 2]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

import pytest

LINE = re.compile(r"^\s*([\d.]+)s (setup|call|teardown)\s+(\S+?)(@\S+)?\s*$")


def read_durations(paths: list[Path]) -> dict[str, dict[str, float]]:
    """{node id: {phase: seconds}} (the last file that names a test wins)."""
    seconds: dict[str, dict[str, float]] = defaultdict(dict)
    for path in paths:
        for line in path.read_text(errors="replace").splitlines():
            if m := LINE.match(line):
                seconds[m[3]][m[2]] = float(m[1])
    return seconds


def split_shared(phases: dict[str, dict[str, float]], users: set[str]) -> tuple[dict[str, float], float]:
    """Seconds per test without the session `shop_run` (paid by whichever of its users ran first),
    and that run's own seconds, which every worker running one of its users pays once."""
    shared = max((phases.get(n, {}).get("setup", 0.0) for n in users), default=0.0)
    seconds = {}
    for node, parts in phases.items():
        own = dict(parts)
        if node in users and own.get("setup", 0.0) > shared / 2:
            own["setup"] -= shared
        seconds[node] = sum(own.values())
    return seconds, shared


class _Collector:
    def __init__(self) -> None:
        self.collected: list[str] = []  # pytest's own order
        self.final: list[tuple[str, str]] = []  # (node id, xdist group) after tests/conftest.py
        self.shop_users: set[str] = set()

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        self.collected.append(item.nodeid)

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        # a checkout without this branch's tests/conftest.py (main, to replay "before"): file = unit
        conftest = config.pluginmanager.get_plugin(str(Path("tests/conftest.py").resolve()))
        group_of = getattr(conftest, "group_of", lambda file, fixtures: file)
        fixtures: dict[str, set[str]] = defaultdict(set)
        for item in items:
            fixtures[item.nodeid.split("::")[0]].update(getattr(item, "fixturenames", ()))
        for item in items:
            if "shop_run" in getattr(item, "fixturenames", ()):
                self.shop_users.add(item.nodeid)
            file = item.nodeid.split("::")[0]
            self.final.append((item.nodeid, group_of(file, fixtures[file])))


def units_before(collected: list[str]) -> list[list[str]]:
    """--dist loadfile with xdist's default reordering: files by test count, most first."""
    files: dict[str, list[str]] = {}
    for node in collected:
        files.setdefault(node.split("::", 1)[0], []).append(node)
    return sorted(files.values(), key=lambda tests: -len(tests))


def units_now(final: list[tuple[str, str]]) -> list[list[str]]:
    """--dist loadfile --no-loadscope-reorder with tests/conftest.py's units, in its order."""
    groups: dict[str, list[str]] = {}
    for node, group in final:
        groups.setdefault(group, []).append(node)
    return list(groups.values())


def makespan(
    units: list[list[str]], seconds: dict[str, float], workers: int, users: set[str], shared: float
) -> tuple[float, list[float]]:
    """Replay xdist: returns the makespan and each worker's busy seconds."""
    queue = [list(u) for u in units]
    pending: list[list[str]] = [[] for _ in range(workers)]
    clock, busy = [0.0] * workers, [0.0] * workers
    built = [False] * workers  # has this worker made the session `shop_run` yet?

    def top_up(w: int) -> None:
        if queue and len(pending[w]) <= 2:
            pending[w].extend(queue.pop(0))

    def cost(w: int, node: str) -> float:
        return seconds.get(node, 0.0) + (shared if node in users and not built[w] else 0.0)

    for w in range(workers):
        if queue:
            pending[w].extend(queue.pop(0))
    for w in range(workers):
        top_up(w)
    while any(pending):
        # the worker whose current test ends first finishes it, then may get more work
        w = min((w for w in range(workers) if pending[w]), key=lambda w: clock[w] + cost(w, pending[w][0]))
        node = pending[w].pop(0)
        took = cost(w, node)
        built[w] = built[w] or node in users
        clock[w] += took
        busy[w] += took
        top_up(w)  # a worker that runs dry with work queued is topped up at once: no idle gap
    return max(clock), busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("durations", nargs="+", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    collector = _Collector()
    pytest.main(["--collect-only", "-qq", "-p", "no:cacheprovider"], plugins=[collector])
    seconds, shared = split_shared(read_durations(args.durations), collector.shop_users)
    print(f"the session shop_run: {shared:.0f} s, once per worker that runs one of its users")
    missing = [n for n in collector.collected if n not in seconds]
    print(f"{len(collector.collected)} tests collected, {len(missing)} without a duration (counted 0 s)")
    total = sum(seconds.get(n, 0.0) for n in collector.collected) + shared
    print(f"sum of tests {total:.0f} s: {total / args.workers:.0f} s at best on {args.workers} workers")
    for name, units in (
        ("loadfile, xdist order (before)", units_before(collector.collected)),
        ("units and order of tests/conftest.py", units_now(collector.final)),
    ):
        span, busy = makespan(units, seconds, args.workers, collector.shop_users, shared)
        shares = ", ".join(f"{b:.0f}" for b in busy)
        print(f"{name:40s} makespan {span:6.0f} s ({span / 60:.1f} min); busy per worker {shares} s")
        first = [u[0].split("::")[0] for u in units[:6]]
        print(f"{'':40s} first units: {', '.join(first)}")


if __name__ == "__main__":
    main()
