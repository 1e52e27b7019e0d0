"""The commit task is a process of its own (Airflow): it imports only what a commit runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_commit_task_loads_neither_staging_nor_polars() -> None:
    code = (
        "import sys; from pipelines.stages import commit; from pipelines.load import commit_staged; "
        "print(sorted(m for m in ('polars', 'pyarrow', 'pipelines.load.stage') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "[]"  # 0.44 -> 0.19 s CPU of imports per commit task


def test_the_package_still_gives_its_names() -> None:
    import pipelines.load as load

    assert load.stage_landing.__module__ == "pipelines.load.stage"
    assert load.commit_staged.__module__ == "pipelines.load.commit"
    assert {load.BatchRejected.__name__, load.LoadReport.__name__} == {"BatchRejected", "LoadReport"}
