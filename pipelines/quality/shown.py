"""One value as the reports show it: null for every kind of missing, strings quoted."""

from __future__ import annotations

from typing import Any

import pandas as pd


def shown(value: Any) -> str:
    if not isinstance(value, list | tuple | dict) and pd.isna(value):  # None, NaN, NaT, NA
        return "null"
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)
