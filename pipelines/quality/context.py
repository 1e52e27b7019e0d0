"""The GX context every suite runs in, built fresh for one run's folder.

The context is ephemeral, configured from the committed expectations/gx/great_expectations.yml
with its stores redirected: suites, validation definitions and checkpoints live in memory
(the suites are code), GX validation results and data docs go under <quality_dir>/<run_id>/,
so nothing is ever written into the repository.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import great_expectations as gx  # after pipelines/quality/__init__.py's analytics switch
import yaml
from great_expectations.data_context.types.base import DataContextConfig

from pipelines.settings import get_settings


def gx_context(run_dir: Path) -> Any:
    """An ephemeral context whose results and data docs land under `run_dir`."""
    run_dir = run_dir.resolve()  # GX store backends demand absolute paths
    config = yaml.safe_load((get_settings().expectations_dir / "gx/great_expectations.yml").read_text())
    for store in config["stores"].values():
        store["store_backend"] = {"class_name": "InMemoryStoreBackend"}
    # On disk so the data docs index lists every suite of the run, across processes.
    config["stores"]["validation_results_store"]["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(run_dir / "gx" / "validations"),
    }
    for site in config["data_docs_sites"].values():
        site["store_backend"]["base_directory"] = str(run_dir / "data_docs")
        # the same pages from templates compiled once per process (pipelines/quality/docs_views.py)
        page = {"module_name": "pipelines.quality.docs_views", "class_name": "CachedPageView"}
        index = {**page, "class_name": "CachedIndexPageView"}
        sections = ("expectations", "validations", "profiling")
        site["site_section_builders"] = {s: {"view": page} for s in sections}
        site.setdefault("site_index_builder", {})["view"] = index
    config["analytics_enabled"] = False
    return gx.get_context(mode="ephemeral", project_config=DataContextConfig(**config))
