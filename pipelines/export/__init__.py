"""Segment exports: CRM, ad-platform, Parquet and webhook destinations, as diffs."""

from pipelines.export.report import Audience, Delivery, ExportReport
from pipelines.export.segments import export_segments

__all__ = ["Audience", "Delivery", "ExportReport", "export_segments"]
