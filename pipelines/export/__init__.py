"""CRM exports of the segment lists (CSV per segment, manifest, `latest` pointer)."""

from pipelines.export.segments import SEGMENTS, ExportReport, SegmentExport, export_segments

__all__ = ["SEGMENTS", "ExportReport", "SegmentExport", "export_segments"]
