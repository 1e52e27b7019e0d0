"""A failure as a person needs it: the one-line cause and what to do next, no traceback.

Domain errors carry their cause in the message (often a headline ending in ':' and one
detail per line); the traceback stays in the run's log for whoever debugs rapport.
"""

from __future__ import annotations

_NEXT = {
    "BatchRejected": "fix or remove that landing file (nothing of this batch was loaded), then run again",
    "QualityGateFailed": "see `rapport quality` or the quality report for the failing rows, fix them at"
    " the source, then run again",
    "StaleSource": "land newer files (or check the shop-database extract), or pass --as-of for the data's"
    " own date",
    "SourceUnavailable": "check RAPPORT_SHOP_DB_URL and that the shop database is reachable"
    " (`rapport doctor`)",
    "ExtractError": "check the shop database and RAPPORT_SHOP_DB_URL (`rapport doctor`)",
    "DbtFailed": "fix the model or test named above; `rapport build` reruns only dbt",
    "ConfigError": "fix the configuration file named above, then run again",
    "WebhookFailed": "check the destination's URL and token; the next run sends the list again",
    "AsOfMismatch": "run `rapport run` for that as-of date so the warehouse is built for it",
    "RunInProgress": "wait for the other run to finish",
    "NoLogicalDate": "trigger the run with a logical date",
    # DuckDB's own: each heavy task runs under a cap of its own (README "Configuration")
    "OutOfMemoryException": "raise the failed task's DuckDB cap (RAPPORT_DUCKDB_STAGE_, _FORGET_, _PUBLISH_,"
    ' _EXPORT_ or _DBT_MEMORY_LIMIT; README "Configuration": 10M customers need FORGET 8GB)',
}
_DEFAULT = "fix the cause above and run again; the traceback is in the log"


def cause_and_hint(exc: BaseException) -> tuple[str, str]:
    """('QualityGateFailed: quality gate failed: orders[...] ... (+2 more)', what to do next)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    name = type(exc).__name__
    if not lines:
        return name, _NEXT.get(name, _DEFAULT)
    head, rest = lines[0], lines[1:]
    if head.endswith(":") and rest:  # "quality gate failed (critical expectations):" + details
        head, rest = f"{head} {rest[0]}", rest[1:]
    more = [line for line in rest if not line.startswith("report:")]
    cause = f"{name}: {head}" + (f" (+{len(more)} more in the log)" if more else "")
    return cause, _NEXT.get(name, _DEFAULT)
