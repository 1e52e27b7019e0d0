"""Load landing files into the warehouse in two phases, so a quality gate can run between.

stage_landing reads new and changed files into schema `incoming` (typed rows plus a
quarantine of rejected ones); commit_staged moves that batch into schema `raw` at once.
"""

from pipelines.load.commit import commit_staged, quarantine_summary
from pipelines.load.errors import BatchRejected
from pipelines.load.report import EntityCounts, LoadReport, StageReport
from pipelines.load.stage import stage_landing

__all__ = [
    "BatchRejected",
    "EntityCounts",
    "LoadReport",
    "StageReport",
    "commit_staged",
    "quarantine_summary",
    "stage_landing",
]
