"""One `dbt build` per scenario, shared by the dbt tests (each build takes seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rapport_dbt import FULL, ORDERS_ONLY, Run, dbt, write_raw


@pytest.fixture(scope="session")
def dbt_runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    """Both builds run at once (dbt parsing is single-threaded; the box has 2 cores)."""
    started = {}
    for name, rows in (("full", FULL), ("orders_only", ORDERS_ONLY)):
        tmp = tmp_path_factory.mktemp(name)
        warehouse = tmp / "warehouse.duckdb"
        write_raw(warehouse, rows)
        started[name] = (warehouse, dbt(tmp, warehouse, "build"))
    runs = {}
    for name, (warehouse, proc) in started.items():
        out, _ = proc.communicate(timeout=300)
        runs[name] = Run(warehouse, proc.returncode, out)
    yield runs
