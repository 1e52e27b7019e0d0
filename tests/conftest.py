"""Shared fixtures: every test gets its own RAPPORT_HOME so runs never share state."""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")

from hypothesis import settings

# CI (HYPOTHESIS_PROFILE=ci, set by .ci/run) replays the same examples every run, so a merge is
# never blocked by a new random draw; local runs keep exploring and print how to reproduce a find.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
