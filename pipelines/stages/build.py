"""Stages that build the warehouse for the as-of date: freshness and dbt, the CLV fit, what reads it.

Each records how far the build got (pipelines.ops.built_for), so export and publish refuse a
warehouse built for another day or left half-built.
"""

from __future__ import annotations

from pipelines.progress import reported
from pipelines.stages.run import day, settings_for


@reported("dbt_build")
def build(as_of: str, full_refresh: bool = False, landing: str | None = None) -> list[str]:
    """`dbt source freshness` against the as-of date, then `dbt build`, in one dbt process: a stale
    feed stops the run here (StaleSource, naming the source) before anything is built.

    The build of the day starts here: from now on export and publish refuse it until
    dbt_build_clv records it built, so a stale feed never leaves yesterday's marts exportable.
    """
    from pipelines.builds import build_marts, build_summary
    from pipelines.ops.built_for import record_build

    settings, when = settings_for(landing), day(as_of)
    record_build(settings.warehouse_path, when, "running")  # export/publish refuse a half-built state
    target, freshness = build_marts(settings, when, full_refresh=full_refresh)
    record_build(settings.warehouse_path, when, "marts")  # built once fit_clv and build_clv ran
    return [build_summary(target), *freshness]


@reported("fit_clv")
def fit_clv(as_of: str, landing: str | None = None) -> list[str]:
    """BG/NBD + Gamma-Gamma on marts.customer_clv_summary, written to the CLV marts."""
    from datetime import datetime, time

    from pipelines.clv import fit_clv as fit
    from pipelines.ops.built_for import record_build, require_build

    settings, when = settings_for(landing), day(as_of)
    require_build(settings.warehouse_path, when, "fit_clv", ("marts", "fitted", "built"))
    record_build(settings.warehouse_path, when, "running")
    # the instant the fit is as of (it sees every order before the as-of date), not the clock: a
    # rerun of the day writes the same parameters table; when it ran is in the task's own record
    fitted_at = datetime.combine(when, time())
    lines = fit(
        settings.warehouse_path, when, settings.clv_discount_rate, fitted_at, settings.clv_purchase_model
    )
    record_build(settings.warehouse_path, when, "fitted")
    return lines


@reported("dbt_build_clv")
def build_clv(as_of: str, landing: str | None = None) -> str:
    """The dbt models and tests downstream of the CLV marts (selector after_clv), after fit_clv."""
    from pipelines.builds import build_after_clv, build_summary
    from pipelines.export.erased import ensure_erased
    from pipelines.ops.built_for import record_build, require_build

    settings, when = settings_for(landing), day(as_of)
    require_build(settings.warehouse_path, when, "build_clv", ("fitted", "built"))
    record_build(settings.warehouse_path, when, "running")
    target = build_after_clv(settings, when)
    # generate_dbt_docs runs beside the export: its catalog must find the table (a dbt source)
    # that the export would otherwise create first, on a new warehouse's first day
    ensure_erased(settings.warehouse_path)
    record_build(settings.warehouse_path, when, "built")
    return build_summary(target)
