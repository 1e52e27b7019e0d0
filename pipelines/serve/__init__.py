"""The serving area BI tools read: versioned Parquet marts and a DuckDB 1.x-readable file.

The pipeline writes a complete new version next to the old ones and then swaps
one pointer, so a reader never sees a mix and never blocks the pipeline.
"""

from pipelines.serve.layout import Serving
from pipelines.serve.manifest import Manifest, TableEntry
from pipelines.serve.publish import publish

__all__ = ["Manifest", "Serving", "TableEntry", "publish"]
