"""An expectation's bounds in words, for people reading the report."""

from __future__ import annotations

from typing import Any

from pipelines.quality.shown import shown


def _bound(value: Any) -> str | None:
    """GX stores bounds as floats: 100.0 reads as 100, 500000.0 as 500,000."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int | float) else shown(value)


def expected(kind: str, kwargs: dict[str, Any]) -> str | None:
    """The bounds of an expectation in words (None when its name says it all)."""
    low, high = (_bound(kwargs.get(k)) for k in ("min_value", "max_value"))
    if low is not None and high is not None:
        return f"between {low} and {high}"
    if low is not None:
        return f"at least {low}"
    if high is not None:
        return f"at most {high}"
    if kwargs.get("value_set") is not None:
        values = [shown(v) for v in kwargs["value_set"]]
        return "one of " + ", ".join(values[:8]) + (", ..." if len(values) > 8 else "")
    if "not_be_null" in kind:
        return "no empty values"
    if "unique" in kind:
        return "no duplicates"
    return None
