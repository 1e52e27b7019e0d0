"""The `rapport` command line without Airflow: generate a shop, run one stage, look at results.

`rapport run` and `rapport ui`, which drive Airflow, are added by `orchestration.cli`.
"""

from pipelines.cli import shop, stages
from pipelines.cli.app import app

__all__ = ["app", "shop", "stages"]
