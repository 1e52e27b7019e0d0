"""A YAML config file read into a pydantic model, each error naming the file and line of its value:
the person fixing a config reads the file, not the model."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

Model = TypeVar("Model", bound=BaseModel)


def line_of(node: yaml.Node, loc: tuple[int | str, ...]) -> int:
    """1-based line of the deepest YAML node that `loc` reaches."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = [v for k, v in node.value if k.value == key]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            match = [node.value[key]]
        else:
            match = []
        if not match:
            break
        node = match[0]
    return node.start_mark.line + 1


def read_yaml(path: Path, error: type[ValueError]) -> tuple[Any, yaml.Node | None]:
    """The parsed data and its node tree (for line numbers); invalid YAML raises `error`."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.safe_load(text), yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise error(f"{path}: not valid YAML: {e}") from e


def validate(
    model: type[Model],
    data: Any,
    node: yaml.Node,
    path: Path,
    error: type[ValueError],
    *,
    heading: str,
    sep: str,
    root: str = "",
) -> Model:
    """`model` from `data`, or `error` listing every problem as `<path>:<line>: <field>: <msg>`."""
    try:
        return model.model_validate(data)
    except ValidationError as e:
        problems = [
            f"{path}:{line_of(node, err['loc'])}: {'.'.join(map(str, err['loc'])) or root}: {err['msg']}"
            for err in e.errors()
        ]
        raise error(heading + sep.join(problems)) from None
