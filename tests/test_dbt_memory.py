"""Every dbt command runs under the dbt cap: profiles.yml's memory_limit reads the variable
run_dbt sets, and it carries the smaller of the dbt cap and the general cap."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import pipelines.transform as transform
from pipelines.settings import REPO_ROOT, Settings


@pytest.mark.parametrize(("general", "dbt", "expected"), [("8GB", "3GB", "3GB"), ("2GB", "3GB", "2GB")])
def test_the_smaller_cap_applies(general: str, dbt: str, expected: str) -> None:
    assert Settings(duckdb_memory_limit=general, duckdb_dbt_memory_limit=dbt).dbt_memory_limit == expected


def test_a_dbt_cap_that_is_not_a_size_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(duckdb_dbt_memory_limit="3GB'; drop table raw.orders; --")


class _Child:
    """What run_dbt needs of a finished dbt process."""

    pid, returncode, stdout = os.getpid(), 0, iter(())

    def wait(self) -> int:
        return 0


def test_dbt_starts_under_the_dbt_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: dict[str, Any] = {}

    def popen(args: list[str], env: dict[str, str], **kwargs: Any) -> _Child:
        started.update(args=args, env=env)
        return _Child()

    monkeypatch.setattr(transform.subprocess, "Popen", popen)
    settings = Settings(home=tmp_path, duckdb_memory_limit="8GB", duckdb_dbt_memory_limit="3GB")
    transform.run_dbt(settings, ["parse"])
    assert started["env"]["RAPPORT_DUCKDB_MEMORY_LIMIT"] == "3GB"
    profile = (REPO_ROOT / "dbt_project" / "profiles.yml").read_text()
    assert "memory_limit: \"{{ env_var('RAPPORT_DUCKDB_MEMORY_LIMIT'" in profile
