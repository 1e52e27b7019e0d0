"""GX data docs views that share compiled templates across the suites of one process.

GX builds a new jinja Environment for every view of every context, and a context per suite,
so each suite recompiled the same ~50 templates (~1 s per suite, most of a data docs build).
A process-wide bytecode cache keyed by template source makes every suite after the first
load them compiled; the rendered HTML is the same. Configured in pipelines.quality.context.
"""

from __future__ import annotations

from typing import Any

from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


class _Memory(BytecodeCache):
    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.codes.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # checks the source checksum, else compiles anew

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


CACHE = _Memory()


class CachedPageView(DefaultJinjaPageView):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.bytecode_cache = CACHE


class CachedIndexPageView(DefaultJinjaIndexPageView):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.env.bytecode_cache = CACHE
