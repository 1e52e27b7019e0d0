"""The `rapport` command line: generate a shop, run the DAG, or run one stage."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipelines.settings import get_settings

app = typer.Typer(help="rapport: relationship-marketing pipeline.", no_args_is_help=True)

AsOf = Annotated[str | None, typer.Option(help="as-of date YYYY-MM-DD (default: day after the last order)")]
Landing = Annotated[Path | None, typer.Option(help="landing folder (default: <RAPPORT_HOME>/landing)")]


def _landing(landing: Path | None) -> Path:
    return landing or get_settings().landing


def _as_of(as_of: str | None, landing: Path | None) -> str:
    """The as-of date given (checked: YYYY-MM-DD) or the landing folder's default."""
    from pipelines.asof import default_as_of
    from pipelines.load.config import load_landing_config

    if as_of is None:
        return default_as_of(
            _landing(landing), load_landing_config(get_settings().landing_config)
        ).isoformat()
    try:
        if len(as_of) != 10:
            raise ValueError
        return date.fromisoformat(as_of).isoformat()
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not a date: write it YYYY-MM-DD, e.g. 2026-11-28") from None


def _echo(lines: list[str]) -> None:
    typer.echo("\n".join(lines))


@app.command()
def generate(
    out: Annotated[Path | None, typer.Option(help="landing folder to write")] = None,
    customers: int = 2000,
    seed: int = 42,
    dirty_rate: Annotated[float, typer.Option(help="share of rows given a real defect")] = 0.0,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
) -> None:
    """Write a realistic demo shop in the landing contract (deterministic by seed)."""
    from pipelines.generate import generate_shop

    summary = generate_shop(_landing(out), customers=customers, seed=seed, dirty_rate=dirty_rate, fmt=fmt)  # type: ignore[arg-type]
    counts = ", ".join(f"{entity} {rows:,}" for entity, rows in summary.rows.items())
    typer.echo(f"wrote {len(summary.paths):,} files to {_landing(out)}: {counts}")


@app.command()
def run(landing: Landing = None, as_of: AsOf = None) -> None:
    """Run the Airflow DAG once (airflow dags test) on a landing folder, showing each task as it ends."""
    import os
    from datetime import UTC, datetime

    from pipelines.local_airflow import run_dag
    from pipelines.ops.runlock import RunInProgress, single_run
    from pipelines.progress.show import RunView
    from pipelines.progress.verdict import failure_lines, next_steps

    folder = _landing(landing)
    if not folder.is_dir():
        raise FileNotFoundError(f"landing folder {folder} does not exist: give --landing DIR")
    settings = get_settings()
    day, home = _as_of(as_of, landing), settings.home
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    log = home / "airflow" / "runs" / f"dags-test-{day}-{stamp}-{os.getpid()}.log"  # one per run
    try:
        with single_run(home, day, log):
            typer.echo(f"running rapport_daily for as-of date {day} ...")
            with RunView() as view:
                proc = run_dag(settings, date.fromisoformat(day), landing, on_event=view)
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

    _echo([*stages.summary(day), f"  airflow log:         {log}", *next_steps(settings)])


@app.command()
def load(landing: Landing = None, as_of: AsOf = None) -> None:
    """Stage landing files, gate incoming orders, commit to raw (no Airflow)."""
    from pipelines import stages

    run_id = f"cli_{uuid.uuid4().hex[:8]}"
    _echo(stages.stage(_as_of(as_of, landing), run_id, str(landing) if landing else None))
    _echo(stages.gate_incoming(run_id))
    _echo(stages.commit(run_id))


@app.command()
def build(
    as_of: AsOf = None,
    landing: Landing = None,
    full_refresh: Annotated[
        bool, typer.Option(help="rebuild the incremental facts from scratch (after changing model logic)")
    ] = False,
) -> None:
    """Build the dbt marts for an as-of date, fit the CLV models, then build what reads them."""
    from pipelines import stages

    day = _as_of(as_of, landing)
    typer.echo(stages.build(day, full_refresh=full_refresh))
    _echo(stages.fit_clv(day))
    typer.echo(stages.build_clv(day))


@app.command()
def clv(as_of: AsOf = None, landing: Landing = None) -> None:
    """Refit BG/NBD + Gamma-Gamma on the built summary and rebuild the CLV segments."""
    from pipelines import stages

    day = _as_of(as_of, landing)
    _echo(stages.fit_clv(day))
    typer.echo(stages.build_clv(day))


@app.command()
def export(
    as_of: AsOf = None,
    landing: Landing = None,
    dry_run: Annotated[bool, typer.Option(help="print adds/removes/keeps; write and send nothing")] = False,
) -> None:
    """Export the segment lists to their destinations (quality-gated, consent enforced)."""
    from pipelines import stages
    from pipelines.ops.built_for import AsOfMismatch

    try:
        _echo(stages.export(_as_of(as_of, landing), f"cli_{uuid.uuid4().hex[:8]}", dry_run=dry_run))
    except AsOfMismatch as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command()
def summary(as_of: AsOf = None, landing: Landing = None) -> None:
    """Print where the marts, exports and quality results are, and segment sizes."""
    from pipelines import stages

    if not get_settings().warehouse_path.exists():
        raise FileNotFoundError(
            f"no run has built {get_settings().warehouse_path} yet: run `rapport run --landing DIR` first"
        )
    _echo(stages.summary(_as_of(as_of, landing)))


@app.command()
def publish(as_of: AsOf = None, landing: Landing = None) -> None:
    """Publish the marts to the serving area (Parquet, DuckDB 1.x file, dbt docs) for BI tools."""
    from pipelines import stages
    from pipelines.ops.built_for import AsOfMismatch

    try:
        _echo(stages.publish(_as_of(as_of, landing), f"cli_{uuid.uuid4().hex[:8]}"))
    except AsOfMismatch as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None


@app.command()
def report() -> None:
    """Write the HTML report of the current published version (offline, self-contained)."""
    from pipelines import stages

    typer.echo(stages.report())


@app.command()
def quality(
    run_id: Annotated[str | None, typer.Option(help="run id (default: the last run)")] = None,
) -> None:
    """Print the last run's quality results per suite and the quarantine summary."""
    from pipelines.quality.cli_report import quality_lines

    _echo(quality_lines(get_settings(), run_id))


landing_app = typer.Typer(help="Look at a landing folder before loading it.", no_args_is_help=True)
app.add_typer(landing_app, name="landing")


@landing_app.command("check")
def landing_check(
    folder: Annotated[Path, typer.Argument(help="landing folder to look at")],
    as_of: AsOf = None,
    proposal: Annotated[Path, typer.Option(help="where to write the proposed config")] = Path(
        "landing.proposed.yml"
    ),
) -> None:
    """Per file: what was detected, the mapping, rows that would load or be quarantined (never
    touches the warehouse); writes a proposed landing config to edit."""
    from pipelines.load.check import check_landing
    from pipelines.load.config import load_landing_config

    if not folder.is_dir():
        raise FileNotFoundError(f"landing folder {folder} does not exist")
    config = load_landing_config(get_settings().landing_config)
    try:
        day = _as_of(as_of, folder)
    except (ValueError, FileNotFoundError):
        day = "9999-01-01" if as_of is None else _as_of(as_of, folder)  # no future-date rule to judge by
    _echo(check_landing(folder, config, date.fromisoformat(day), proposal))


@app.command()
def ui(port: Annotated[int, typer.Option(help="port to serve on (loopback only)")] = 8080) -> None:
    """Serve Airflow's web UI over this project's runs (AIRFLOW_HOME) and print the login."""
    from pipelines.ops.ui import serve_ui

    raise typer.Exit(serve_ui(get_settings(), port, typer.echo))


@app.command("as-of")
def as_of_cmd(landing: Landing = None) -> None:
    """Print the default as-of date of a landing folder."""
    typer.echo(_as_of(None, landing))


@app.command()
def extract(landing: Landing = None, as_of: AsOf = None) -> None:
    """Land the shop database's changed rows (RAPPORT_SHOP_DB_URL) as files in the landing folder."""
    from pipelines import stages

    day = as_of or date.today().isoformat()  # the extract's upper bound: rows before this day
    _echo(stages.extract(day, f"cli_{uuid.uuid4().hex[:8]}", str(landing) if landing else None))


@app.command("seed-shop-db")
def seed_shop_db(
    url: Annotated[str | None, typer.Option(help="PostgreSQL URL (default: RAPPORT_SHOP_DB_URL)")] = None,
    customers: int = 2000,
    seed: int = 42,
) -> None:
    """Fill a PostgreSQL database with a generated demo shop (replaces its shop tables)."""
    from pipelines.extract import seed_shop_db as seed_db

    settings = get_settings()
    target = url or settings.shop_db_url
    if not target:
        raise typer.BadParameter("give --url or set RAPPORT_SHOP_DB_URL")
    counts = seed_db(target, settings.shop_db_schema, customers=customers, seed=seed)
    typer.echo("seeded " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))


@app.command()
def doctor() -> None:
    """Check this deployment's settings (paths, connections, warehouse lock) and say what to fix."""
    from pipelines.ops.doctor import run_checks

    checks = run_checks(get_settings())
    for check in checks:
        typer.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<14} {check.detail}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)
