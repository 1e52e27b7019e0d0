"""Modules GX imports at start-up that no suite of ours uses, loaded only when first used.

`import great_expectations` imports every core expectation, and one of them (the KL divergence's)
imports `scipy.stats` and `altair` at the top of its module for its computation and its charts:
~1 s of CPU in every process that imports GX (the incoming gate, the export), for modules none of
our suites or data docs touch. A deferred module is a placeholder in `sys.modules` until an
attribute of it is read; then the real module is imported, takes its place in `sys.modules`, and
the placeholder answers every later read from it. So code that does use it (an expectation that
needs `scipy.stats`, another library) gets the real module, only later. The placeholder has a
spec of its own, so an `import` of the name finds it there and does not load it.
"""

from __future__ import annotations

import importlib
import sys
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    def __getattr__(self, attribute: str) -> Any:  # only for names the placeholder lacks
        real = self.__dict__.get("_rapport_real")
        if real is None:
            name = self.__name__
            if sys.modules.get(name) is self:
                del sys.modules[name]
            real = importlib.import_module(name)
            self.__dict__["_rapport_real"] = real
        return getattr(real, attribute)


def defer(name: str) -> None:
    """Put a placeholder for module `name` in `sys.modules`, unless it is already imported."""
    if name in sys.modules:
        return
    placeholder = _Deferred(name)
    placeholder.__spec__ = ModuleSpec(name, None)
    sys.modules[name] = placeholder
