"""The `pipelines` package knows nothing of Airflow: it imports neither Airflow nor the
`orchestration` package and `dags/` that wire it to Airflow (an AST walk over every module)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "pipelines"
FORBIDDEN = ("airflow", "orchestration", "dags")


def imported(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module name an import statement or an import_module/__import__ call names."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value))
    return found


def offending(source: str) -> list[str]:
    return [
        f"line {line}: {name}"
        for line, name in imported(ast.parse(source))
        if name.split(".")[0] in FORBIDDEN
    ]


def test_no_module_under_pipelines_imports_airflow_or_its_wiring() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 100  # the walk really read the package
    found = {
        str(path.relative_to(PACKAGE.parent)): bad
        for path in modules
        if (bad := offending(path.read_text(encoding="utf-8")))
    }
    assert found == {}


@pytest.mark.parametrize(
    "source",
    [
        "import airflow",
        "from airflow.sdk import Connection",
        "def f():\n    from airflow.sdk import Connection",
        "import orchestration.local_airflow",
        "import importlib\nimportlib.import_module('airflow.sdk')",
        "__import__('dags.rapport_daily')",
    ],
)
def test_the_walk_sees_every_way_of_importing(source: str) -> None:
    assert offending(source), source


def test_names_that_only_mention_airflow_pass() -> None:
    assert offending("import os\nAIRFLOW = 'airflow'\nfrom pipelines.settings import Settings") == []
