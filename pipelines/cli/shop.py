"""`rapport generate|seed-shop-db|landing check|as-of|quality|doctor`: the data and the deployment
around the pipeline, before or after a run."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipelines.cli.app import AsOf, Landing, app, as_of_date, echo, landing_app, landing_dir
from pipelines.settings import get_settings


@app.command()
def generate(
    out: Annotated[Path | None, typer.Option(help="landing folder to write")] = None,
    customers: int = 2000,
    seed: int = 42,
    dirty_rate: Annotated[float, typer.Option(help="share of rows given a real defect")] = 0.0,
    fmt: Annotated[str, typer.Option("--format", help="csv or parquet")] = "csv",
    shard_size: Annotated[
        int | None, typer.Option(min=1, help="customers per shard (bounded memory above ~1M customers)")
    ] = None,
) -> None:
    """Write a realistic demo shop in the landing contract (deterministic by seed)."""
    from pipelines.generate import generate_shop

    try:
        summary = generate_shop(
            landing_dir(out),
            customers=customers,
            seed=seed,
            dirty_rate=dirty_rate,
            fmt=fmt,  # type: ignore[arg-type]
            shard_size=shard_size,
        )
    except ValueError as error:  # an argument the generator refuses: one line, not a traceback
        raise typer.BadParameter(str(error)) from None
    counts = ", ".join(f"{entity} {rows:,}" for entity, rows in summary.rows.items())
    typer.echo(f"wrote {len(summary.paths):,} files to {landing_dir(out)}: {counts}")


@app.command("seed-shop-db")
def seed_shop_db(
    url: Annotated[str | None, typer.Option(help="PostgreSQL URL (default: RAPPORT_SHOP_DB_URL)")] = None,
    customers: int = 2000,
    seed: int = 42,
) -> None:
    """Fill a PostgreSQL database with a generated demo shop (replaces its shop tables)."""
    from pipelines.generate.shop_db import seed_shop_db as seed_db

    settings = get_settings()
    target = url or settings.shop_db_url
    if not target:
        raise typer.BadParameter("give --url or set RAPPORT_SHOP_DB_URL")
    counts = seed_db(target, settings.shop_db_schema, customers=customers, seed=seed)
    typer.echo("seeded " + ", ".join(f"{table} {n:,}" for table, n in counts.items()))


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
        day = as_of_date(as_of, folder)
    except (ValueError, FileNotFoundError):
        day = "9999-01-01" if as_of is None else as_of_date(as_of, folder)  # no future-date rule to judge by
    echo(check_landing(folder, config, date.fromisoformat(day), proposal))


@app.command("as-of")
def as_of_cmd(landing: Landing = None) -> None:
    """Print the default as-of date of a landing folder."""
    typer.echo(as_of_date(None, landing))


@app.command()
def quality(
    run_id: Annotated[str | None, typer.Option(help="run id (default: the last run)")] = None,
) -> None:
    """Print the last run's quality results per suite and the quarantine summary."""
    from pipelines.cli.quality import quality_lines

    echo(quality_lines(get_settings(), run_id))


@app.command()
def doctor() -> None:
    """Check this deployment's settings (paths, connections, warehouse lock) and say what to fix."""
    from pipelines.ops.doctor import run_checks

    checks = run_checks(get_settings())
    for check in checks:
        typer.echo(f"{'ok  ' if check.ok else 'FAIL'}  {check.name:<14} {check.detail}")
    if not all(check.ok for check in checks):
        raise typer.Exit(1)
