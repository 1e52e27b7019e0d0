"""A self-contained HTML report of a published version: KPIs, segments, value curves, migration."""

from pipelines.report.build import write_report

__all__ = ["write_report"]
