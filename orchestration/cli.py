"""`rapport run` and `rapport ui`: the package's CLI plus the two commands that drive Airflow."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from orchestration import local_airflow
from pipelines.cli import app
from pipelines.cli.app import AsOf, Landing, as_of_date, echo, landing_dir
from pipelines.settings import get_settings

__all__ = ["app"]


@app.command()
def run(landing: Landing = None, as_of: AsOf = None) -> None:
    """Run the Airflow DAG once (airflow dags test) on a landing folder, showing each task as it ends."""
    from pipelines.ops.runlock import RunInProgress, single_run
    from pipelines.progress.show import RunView
    from pipelines.progress.verdict import failure_lines, next_steps

    folder = landing_dir(landing)
    if not folder.is_dir():
        raise FileNotFoundError(f"landing folder {folder} does not exist: give --landing DIR")
    settings = get_settings()
    day, home = as_of_date(as_of, landing), settings.home
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    log = home / "airflow" / "runs" / f"dags-test-{day}-{stamp}-{os.getpid()}.log"  # one per run
    try:
        with single_run(home, day, log):
            typer.echo(f"running rapport_daily for as-of date {day} ...")
            with RunView() as view:
                proc = local_airflow.run_dag(settings, date.fromisoformat(day), landing, on_event=view)
    except RunInProgress as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    output = proc.stdout + proc.stderr
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(output)
    except OSError as exc:  # disk full must not hide which task failed and why
        typer.echo(f"could not write the run log {log}: {exc}", err=True)
        log = Path(f"(not written: {exc.strerror})")
    if proc.returncode != 0:  # the cause first, in one line; the traceback stays in the log
        for line in failure_lines(view.failures, output, log):
            typer.echo(line, err=True)
        raise typer.Exit(1)
    from pipelines import stages

    echo([*stages.summary(day), f"  airflow log:         {log}", *next_steps(settings)])


@app.command()
def ui(port: Annotated[int, typer.Option(help="port to serve on (loopback only)")] = 8080) -> None:
    """Serve Airflow's web UI over this project's runs (AIRFLOW_HOME) and print the login."""
    from orchestration.ui import serve_ui

    raise typer.Exit(serve_ui(get_settings(), port, typer.echo))
