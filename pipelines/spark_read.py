"""Landing CSV files read by Spark as text, numbered by line; what it cannot read alike, refused.

Headers are mapped by the DuckDB loader's own inspect() (header.py: the contract's names,
case-folded); the rows are read by Spark, every column as a string (the loader's untyped read).
A row's `_source_line` is its ordinal in the file + 1 (the header is line 1). That holds only
when every record is one physical line, so a file whose physical lines do not count rows + 1
(blank lines, line breaks inside values), a malformed record or invalid UTF-8 stops the load
with a one-line error naming the file (SparkLoadRefused): the DuckDB loader numbers and
quarantines those, the Spark loader does not (yet), and it must never differ silently.
"""

from __future__ import annotations

from typing import Any

import duckdb

from pipelines.contract import ENTITIES
from pipelines.load.config import LandingConfig
from pipelines.load.discover import LandingFile
from pipelines.load.header import Layout, inspect
from pipelines.load.schema import ident


class SparkLoadRefused(ValueError):
    """The landing folder needs something only the DuckDB loader does."""


def layouts_of(files: tuple[LandingFile, ...], config: LandingConfig | None) -> list[Layout]:
    """Each file's header mapping; a config or a file the Spark loader does not read alike is refused."""
    if config is not None and config != LandingConfig():
        raise SparkLoadRefused(
            "the Spark loader reads the landing contract as it is: landing.yml options (header"
            " aliases, date/amount formats, encodings, delimiters) need the DuckDB loader"
        )
    con = duckdb.connect()  # only inspect()'s sniffer would use it, for a non-contract delimiter
    layouts = []
    for f in files:
        if f.fmt != "csv":
            raise SparkLoadRefused(f"{f.source_file}: the Spark loader reads CSV landing files only")
        layout = inspect(con, f, None)
        if (layout.delimiter, layout.quote, layout.encoding) != (",", '"', "utf-8"):
            raise SparkLoadRefused(
                f"{f.source_file}: not comma-separated; the Spark loader reads the contract's CSV"
            )
        layouts.append(layout)
    con.close()
    return layouts


def _local(path: Any) -> Any:
    """Spark's `file:/...` URI of a file as its local path."""
    from pyspark.sql import functions as F

    return F.url_decode(F.regexp_replace(path, "^file:/+", "/"))


def read_entity(spark: Any, layouts: list[Layout]) -> Any:
    """One entity's rows: contract columns as strings (NULL when the file has none), then
    `_source_file`, `_source_line`; and the rows in per file, as a dict."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import StringType, StructField, StructType

    entity = layouts[0].file.entity
    groups: dict[tuple[str, ...], list[Layout]] = {}
    for layout in layouts:
        groups.setdefault(layout.header, []).append(layout)
    frames = []
    for header, members in groups.items():
        fields = [StructField(f"c{i}", StringType()) for i in range(len(header))]
        schema = StructType([*fields, StructField("_corrupt", StringType())])
        paths = [str(x.file.path) for x in members]
        rows = (
            spark.read.schema(schema)
            .option("header", "true")
            .option("multiLine", "true")  # a file is one partition: its rows stay in file order
            .option("escape", '"')  # RFC 4180 "" as DuckDB reads it (Spark's default is \)
            .option("mode", "PERMISSIVE")
            .option("columnNameOfCorruptRecord", "_corrupt")
            .csv(paths)
            .withColumn("_path", _local(F.col("_metadata.file_path")))
            .withColumn("_order", F.monotonically_increasing_id())
        )
        found = dict(members[0].positions)
        source = {str(x.file.path.resolve()): x.file.source_file for x in members}
        mapping = F.create_map(*[F.lit(v) for kv in source.items() for v in kv])
        columns = [
            (F.col(f"c{found[c]}") if c in found else F.lit(None).cast("string")).alias(c)
            for c in ENTITIES[entity].column_names
        ]
        frames.append(
            rows.select(*columns, mapping[F.col("_path")].alias("_source_file"), "_order", "_corrupt")
        )
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other)
    from pyspark.sql.window import Window

    ordinal = F.row_number().over(Window.partitionBy("_source_file").orderBy("_order"))
    return frame.withColumn("_source_line", (ordinal + 1).cast("bigint")).localCheckpoint()


def check_rows(spark: Any, rows: Any, layouts: list[Layout]) -> dict[str, int]:
    """Rows in per file; refuses a file Spark cannot have numbered or read as DuckDB does."""
    from pyspark.sql import functions as F

    entity = layouts[0].file.entity
    unmapped = rows.filter(F.col("_source_file").isNull()).count()
    if unmapped:
        raise SparkLoadRefused(f"{entity}: {unmapped} rows whose file path Spark reports differently")
    names = ENTITIES[entity].column_names
    bad_text = F.lit(False)
    for c in names:
        bad_text = bad_text | F.coalesce(F.col(c).contains("\ufffd"), F.lit(False))
    summary = rows.groupBy("_source_file").agg(
        F.count("*").alias("n"),
        F.sum(F.col("_corrupt").isNotNull().cast("int")).alias("corrupt"),
        F.sum(bad_text.cast("int")).alias("replaced"),
    )
    counts = {r["_source_file"]: r for r in summary.collect()}
    lines = spark.read.text([str(x.file.path) for x in layouts])
    lines = lines.withColumn("_path", _local(F.col("_metadata.file_path")))
    physical = {r["_path"]: r["n"] for r in lines.groupBy("_path").agg(F.count("*").alias("n")).collect()}
    rows_in = {}
    for x in layouts:
        got = counts.get(x.file.source_file)
        n = got["n"] if got else 0
        if got and got["corrupt"]:
            raise SparkLoadRefused(
                f"{x.file.source_file}: {got['corrupt']} malformed rows (DuckDB loader only)"
            )
        if got and got["replaced"]:
            raise SparkLoadRefused(
                f"{x.file.source_file}: invalid UTF-8 in {got['replaced']} rows (DuckDB loader only)"
            )
        lines_n = physical.get(str(x.file.path.resolve()), 0)
        if lines_n != n + 1:
            raise SparkLoadRefused(
                f"{x.file.source_file}: {lines_n} lines for {n} rows (blank lines or line breaks inside"
                " values; DuckDB loader only)"
            )
        rows_in[x.file.source_file] = n
    return rows_in


__all__ = ["SparkLoadRefused", "check_rows", "ident", "layouts_of", "read_entity"]
