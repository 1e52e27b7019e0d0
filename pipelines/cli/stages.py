"""`rapport load|build|clv|export|publish|report|summary|extract`: one stage at a time, no Airflow.

Each command calls the same `pipelines.stages` functions, in the same order, as the DAG's tasks.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

import typer

from pipelines import stages
from pipelines.cli.app import AsOf, Landing, app, as_of_date, echo
from pipelines.settings import get_settings


def _run_id() -> str:
    return f"cli_{uuid.uuid4().hex[:8]}"


@app.command()
def load(landing: Landing = None, as_of: AsOf = None) -> None:
    """Stage landing files, gate the incoming batch, commit to raw, record the quality results."""
    run_id = _run_id()
    echo(stages.stage(as_of_date(as_of, landing), run_id, str(landing) if landing else None))
    echo(stages.gate_incoming(run_id))
    echo(stages.commit(run_id))
    stages.record_quality(run_id)


@app.command()
def build(
    as_of: AsOf = None,
    landing: Landing = None,
    full_refresh: Annotated[
        bool, typer.Option(help="rebuild the incremental facts from scratch (after changing model logic)")
    ] = False,
) -> None:
    """Check source freshness, build the dbt marts, fit the CLV models, then build what reads them."""
    day = as_of_date(as_of, landing)
    echo(stages.build(day, full_refresh=full_refresh))
    echo(stages.fit_clv(day))
    typer.echo(stages.build_clv(day))


@app.command()
def clv(as_of: AsOf = None, landing: Landing = None) -> None:
    """Refit BG/NBD + Gamma-Gamma on the built summary and rebuild the CLV segments."""
    day = as_of_date(as_of, landing)
    echo(stages.fit_clv(day))
    typer.echo(stages.build_clv(day))


@app.command()
def export(
    as_of: AsOf = None,
    landing: Landing = None,
    dry_run: Annotated[bool, typer.Option(help="print adds/removes/keeps; write and send nothing")] = False,
) -> None:
    """Export the segment lists to their destinations (quality-gated, consent enforced)."""
    from pipelines.ops.built_for import AsOfMismatch

    run_id = _run_id()
    try:
        echo(stages.export(as_of_date(as_of, landing), run_id, dry_run=dry_run))
    except AsOfMismatch as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    if not dry_run:
        stages.record_quality(run_id, with_quarantine=False)


@app.command()
def summary(as_of: AsOf = None, landing: Landing = None) -> None:
    """Print where the marts, exports and quality results are, and segment sizes."""
    if not get_settings().warehouse_path.exists():
        raise FileNotFoundError(
            f"no run has built {get_settings().warehouse_path} yet: run `rapport run --landing DIR` first"
        )
    echo(stages.summary(as_of_date(as_of, landing)))


@app.command()
def publish(as_of: AsOf = None, landing: Landing = None) -> None:
    """Publish the marts to the serving area (Parquet, DuckDB 1.x file, dbt docs) for BI tools."""
    from pipelines.ops.built_for import AsOfMismatch

    day = as_of_date(as_of, landing)
    try:
        stages.generate_docs(day)
        echo(stages.publish(day, _run_id()))
    except AsOfMismatch as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command()
def report() -> None:
    """Write the HTML report of the current published version (offline, self-contained)."""
    typer.echo(stages.report())


@app.command()
def extract(landing: Landing = None, as_of: AsOf = None) -> None:
    """Land the shop database's changed rows (RAPPORT_SHOP_DB_URL) as files in the landing folder."""
    day = as_of or date.today().isoformat()  # the extract's upper bound: rows before this day
    echo(stages.extract(day, _run_id(), str(landing) if landing else None))
