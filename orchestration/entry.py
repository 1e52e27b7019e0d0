"""The `rapport` executable: the CLI, with one line per error instead of a traceback.

A user who typed a wrong date or pointed at the wrong folder needs to read what is wrong and
what to do; the traceback is for whoever debugs rapport, so it goes to <home>/logs/cli.log.
"""

from __future__ import annotations

import sys
import traceback
from datetime import UTC, datetime

import typer

from orchestration.cli import app
from pipelines.settings import get_settings


def main() -> None:
    try:
        app()
    except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # every failure reaches the user as one line
        log = get_settings().home / "logs" / "cli.log"
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a") as f:
                f.write(f"--- {datetime.now(UTC).isoformat()} rapport {' '.join(sys.argv[1:])}\n")
                f.write(traceback.format_exc())
            where = f" (details: {log})"
        except OSError:
            where = ""
        message = str(exc).strip() or type(exc).__name__
        typer.echo(f"error: {message}{where}", err=True)
        sys.exit(1)
