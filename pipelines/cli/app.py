"""The `rapport` Typer app and what its commands share: the as-of and landing options."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from pipelines.settings import get_settings

app = typer.Typer(help="rapport: relationship-marketing pipeline.", no_args_is_help=True)
landing_app = typer.Typer(help="Look at a landing folder before loading it.", no_args_is_help=True)
app.add_typer(landing_app, name="landing")

AsOf = Annotated[str | None, typer.Option(help="as-of date YYYY-MM-DD (default: day after the last order)")]
Landing = Annotated[Path | None, typer.Option(help="landing folder (default: <RAPPORT_HOME>/landing)")]


def landing_dir(landing: Path | None) -> Path:
    return landing or get_settings().landing


def as_of_date(as_of: str | None, landing: Path | None) -> str:
    """The as-of date given (checked: YYYY-MM-DD) or the landing folder's default."""
    from pipelines.asof import default_as_of
    from pipelines.load.config import load_landing_config

    if as_of is None:
        return default_as_of(
            landing_dir(landing), load_landing_config(get_settings().landing_config)
        ).isoformat()
    try:
        if len(as_of) != 10:
            raise ValueError
        return date.fromisoformat(as_of).isoformat()
    except ValueError:
        raise ValueError(f"--as-of {as_of!r} is not a date: write it YYYY-MM-DD, e.g. 2026-11-28") from None


def echo(lines: list[str]) -> None:
    typer.echo("\n".join(lines))
