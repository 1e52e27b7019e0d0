"""The dbt project keeps its layers: lineage is complete and models stay small.

One `dbt parse` (no warehouse, no as-of date) and a read of target/manifest.json:
- only staging models read `source()`;
- no model or macro names a warehouse relation by hand (schema.table), so every relation a model
  reads is a ref or a source and `dbt ls --select +model` shows all its inputs; the one exception is
  the incremental models' own bookkeeping (schema incremental_state, macros/incremental_state.sql
  and macros/segment_periods_state.sql);
- staging refs nothing but staging; intermediate never refs a mart or a segment;
- no model file is over MAX_LINES lines.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from rapport_dbt import PROJECT, dbt

MAX_LINES = 120
SCHEMAS = ("raw", "staging", "intermediate", "marts", "segments", "exports", "quality", "rapport_meta")
OWN_STATE = {
    "macros/incremental_state.sql": "incremental_state",
    "macros/segment_periods_state.sql": "incremental_state",
}
_COMMENTS = re.compile(r"\{#.*?#\}|--[^\n]*|#[^\n]*(?=\n)|\"\"\".*?\"\"\"", re.S)


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("parse")
    proc = dbt(tmp, tmp / "warehouse.duckdb", "parse", as_of=None)
    out, _ = proc.communicate(timeout=300)
    assert proc.returncode == 0, out[-3000:]
    manifest: dict[str, Any] = json.loads((tmp / "target" / "manifest.json").read_text())
    return manifest


def _models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}


def _layer(node: dict[str, Any]) -> str:
    return str(node["original_file_path"]).split("/")[1]  # models/<layer>/...


def test_only_staging_reads_sources(manifest: dict[str, Any]) -> None:
    readers = {n["name"] for n in _models(manifest).values() if n["sources"] and _layer(n) != "staging"}
    assert not readers, f"only staging may read source(): {sorted(readers)}"


def test_no_relation_named_by_hand(manifest: dict[str, Any]) -> None:
    named = re.compile(rf"\b({'|'.join(SCHEMAS)}|incremental_state)\.\"?[a-z_]\w*", re.I)
    files = [n["original_file_path"] for n in _models(manifest).values()]
    files += [m["original_file_path"] for m in manifest["macros"].values() if m["package_name"] == "rapport"]
    found = []
    for rel in sorted(set(files)):
        code = _COMMENTS.sub("", (PROJECT / rel).read_text())
        for match in named.finditer(code):
            if OWN_STATE.get(rel) != match.group(1).lower():
                found.append(f"{rel}: {match.group(0)}")
    assert not found, "read through ref()/source(), not by name:\n" + "\n".join(found)


def test_layers_ref_downwards_only(manifest: dict[str, Any]) -> None:
    models = _models(manifest)
    allowed = {"staging": {"staging"}, "intermediate": {"staging", "intermediate"}}
    wrong = []
    for node in models.values():
        layer = _layer(node)
        for parent in node["depends_on"]["nodes"]:
            if parent in models and layer in allowed and _layer(models[parent]) not in allowed[layer]:
                wrong.append(f"{node['name']} ({layer}) refs {models[parent]['name']}")
    assert not wrong, "\n".join(wrong)


def test_models_are_small(manifest: dict[str, Any]) -> None:
    sizes = {
        n["original_file_path"]: len((PROJECT / n["original_file_path"]).read_text().splitlines())
        for n in _models(manifest).values()
    }
    big = {path: lines for path, lines in sizes.items() if lines > MAX_LINES}
    assert not big, f"models over {MAX_LINES} lines (split into named intermediate steps): {big}"


def test_the_checks_see_what_they_check(manifest: dict[str, Any]) -> None:
    """Guards against a vacuous pass: the manifest holds every layer, and facts list their inputs."""
    models = _models(manifest)
    assert {_layer(n) for n in models.values()} >= {"staging", "intermediate", "marts", "segments"}
    orders = next(n for n in models.values() if n["name"] == "orders")
    parents = {p.split(".")[-1] for p in orders["depends_on"]["nodes"]}
    assert {"stg_shop__orders", "stg_shop__returns", "stg_loader__load_ledger"} <= parents
    assert _COMMENTS.sub("", "select 1 -- from raw.orders\n") == "select 1 \n"
