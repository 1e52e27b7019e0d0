"""Extract a shop's PostgreSQL database into landing files (incremental, by updated_at)."""

from pipelines.extract.errors import ExtractError, SourceUnavailable
from pipelines.extract.run import ExtractReport, extract_shop

__all__ = ["ExtractError", "ExtractReport", "SourceUnavailable", "extract_shop"]
