"""Shared fixtures: every test gets its own RAPPORT_HOME so runs never share state."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

import pytest
from hypothesis import settings

# CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) replays the same examples every run, so a merge is
# never blocked by a new random draw; local runs keep exploring and print how to reproduce a find.
# No deadline: a 2-core box shared with DAG runs makes one draw take 20x another, and speed is
# measured in benchmarks/, never in tests.
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
settings.register_profile("dev", print_blob=True, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config: pytest.Config) -> None:
    """A folder for this test session, made before xdist starts its workers (they inherit the
    environment) and removed by the process that made it: one `airflow db migrate` per session
    instead of one per DAG home (orchestration/local_airflow.py), and the groups of test files
    that the workers tell the scheduler (pytest_xdist_make_scheduler below)."""
    if "RAPPORT_TEST_SESSION_DIR" not in os.environ:
        made = tempfile.mkdtemp(prefix="rapport-tests-")
        config.stash[_SESSION_DIR] = os.environ["RAPPORT_TEST_SESSION_DIR"] = made
        os.environ["RAPPORT_AIRFLOW_DB_CACHE"] = str(Path(made) / "airflow")


def pytest_unconfigure(config: pytest.Config) -> None:
    if made := config.stash.get(_SESSION_DIR, None):
        shutil.rmtree(made, ignore_errors=True)


_SESSION_DIR = pytest.StashKey[str]()


# Whole-pipeline tests: every test under these folders runs the real DAG (e2e/) or builds the whole
# dbt project (dbt/, minutes each). `make test-fast` leaves the `e2e` marker out; `make test` runs all.
E2E_FOLDERS = ("dbt", "e2e")
TESTS = Path(__file__).resolve().parent


# Scheduling for `make test` (-n 2 --dist loadfile --no-loadscope-reorder). xdist hands out
# units of work in collection order to whichever worker runs low, so the slowest go first and the
# two workers finish together; left to itself it sorts units by test count, which queued the
# one-test, four-minute files last and left one worker idle for minutes. A unit is a test file
# (its module fixtures are built once), except that every file reading the session `shop` run
# (tests/e2e/conftest.py: `shop_run`, behind `shop`) is one unit, so that run happens once, on
# one worker, instead of once on each worker that got one of those files. (xdist's own
# `--dist loadgroup` would do that with marks, but it renames node ids in a way pytest 9.2 ignores.)
SHOP_GROUP = "shared-shop-run"
# Seconds per unit on the 2-core CI box (2026-11-29); a unit not listed counts as UNLISTED_E2E
# seconds in the e2e folders (one DAG run or dbt build: start it early) and as nothing elsewhere
# (the fast ones: most tests first, as xdist orders them). Only the order matters.
SECONDS = {
    # the DAG runs and dbt builds: CI's --durations on 16a7609, less what this branch took out
    SHOP_GROUP: 300,
    "tests/e2e/test_export_destinations.py": 230,
    "tests/e2e/test_multi_day_marts.py": 170,
    "tests/e2e/test_shop_db_backfill.py": 135,
    "tests/e2e/test_quality_gate_dag.py": 130,
    "tests/dbt/test_dbt_build.py": 105,  # i17suite: segment history starts from the FULL build
    "tests/e2e/test_incremental_facts.py": 100,
    "tests/dbt/test_erasure.py": 88,
    "tests/dbt/test_erasure_memory.py": 55,  # day 1 partial + day 2 build, forget, publish
    "tests/e2e/test_own_folder_e2e.py": 90,
    "tests/e2e/test_orders_only_dag.py": 80,
    "tests/e2e/test_clv_cdnow.py": 80,
    # Spark (in-process JVM; the `spark` uv group, which `make test` installs): each file alone on
    # one worker, load average 5-12 (2026-11-29): 162 s, 59 s, 57 s
    "tests/load/test_spark_load.py": 100,
    "tests/dbt/test_spark_compile.py": 45,  # Spark only (i17suite)
    "tests/dbt/test_spark_identity.py": 55,
    "tests/dbt/test_spark_build.py": 160,  # i17suite: 304 -> 221 s wall at load ~6, 299 -> 238 CPU-s
    # the fast lane: `make test-fast --durations=0` on a shared box, scaled to its CPU seconds
    "tests/export/test_export_segments.py": 42,
    "tests/export/test_do_not_contact.py": 24,
    "tests/export/test_audience.py": 17,
    "tests/export/test_ad_platforms.py": 17,
    "tests/corpus/test_corpus.py": 16,
    "tests/test_warehouse_lock.py": 16,
    "tests/quality/test_incoming_suites.py": 14,
    "tests/serve/test_publish_atomic.py": 13,
    "tests/corpus/test_corruptions.py": 12,
    "tests/clv/test_recovery.py": 11,
    "tests/test_cli_errors.py": 10,
    "tests/export/test_size_baseline.py": 9,
    "tests/report/test_browser.py": 9,
    "tests/load/test_load_properties.py": 9,
    "tests/generate/test_generate_layout.py": 8,
    "tests/export/test_email_checks.py": 7,
    "tests/test_identity.py": 7,
    "tests/generate/test_generate_determinism.py": 6,
    "tests/extract/test_extract.py": 6,
    "tests/quality/test_incoming_gate.py": 5,
    "tests/export/test_erased_recall.py": 5,
    "tests/test_dags.py": 5,
    "tests/generate/test_generate_integrity.py": 5,
    "tests/load/test_load_stage.py": 5,
}
UNLISTED_E2E = 30


def group_of(file: str, fixtures: set[str]) -> str:
    """The unit of work of a test file, given every fixture its tests use."""
    return SHOP_GROUP if "shop_run" in fixtures else file  # `shop` requests it too


def seconds_of(group: str) -> float:
    if group in SECONDS:
        return SECONDS[group]
    return UNLISTED_E2E if group == SHOP_GROUP or group.split("/")[1] in E2E_FOLDERS else 0


def _file(item: pytest.Item) -> str:
    return Path(str(item.path)).resolve().relative_to(TESTS.parent).as_posix()


def _groups_file() -> Path | None:
    session = os.environ.get("RAPPORT_TEST_SESSION_DIR")
    return Path(session) / "groups.json" if session else None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    fixtures: dict[str, set[str]] = {}
    for item in items:
        if Path(str(item.path)).resolve().relative_to(TESTS).parts[0] in E2E_FOLDERS:
            item.add_marker(pytest.mark.e2e)
        fixtures.setdefault(_file(item), set()).update(getattr(item, "fixturenames", ()))
    groups = {file: group_of(file, used) for file, used in fixtures.items()}
    # among units of equal seconds (the unlisted fast files) the larger first, as xdist would;
    # within a unit, collection order
    first: dict[str, int] = {}
    size: dict[str, int] = {}
    for n, item in enumerate(items):
        first.setdefault(groups[_file(item)], n)
        size[groups[_file(item)]] = size.get(groups[_file(item)], 0) + 1
    items.sort(key=lambda i: (-seconds_of(g := groups[_file(i)]), -size[g], first[g]))
    # for the scheduler, which only sees node ids: written whole, then renamed (both workers do)
    if (path := _groups_file()) is not None:
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_text(json.dumps({f: g for f, g in groups.items() if g != f}))
        os.replace(partial, path)


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadfile, with the files of one group (SHOP_GROUP) sent as one unit."""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class GroupedFileScheduling(LoadFileScheduling):
        joined: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            file = super()._split_scope(nodeid)
            if self.joined is None:  # first called once every worker has collected
                path = _groups_file()
                self.joined = json.loads(path.read_text()) if path and path.exists() else {}
            return self.joined.get(file, file)

    return GroupedFileScheduling(config, log)
