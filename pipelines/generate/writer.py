"""Writer: each entity's rows to its daily files (defects injected when asked), and what was written."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.contract import ENTITIES
from pipelines.generate.dirty import PLAN, inject
from pipelines.generate.timeline import DAY
from pipelines.generate.write import garble_marked, to_lines, to_text, to_typed, write_csv, write_parquet


@dataclass(frozen=True)
class GenerateSummary:
    out: Path
    rows: Mapping[str, int]  # rows written per entity, restated and duplicated rows included
    paths: tuple[Path, ...]  # every landing file written, in entity order
    defects: int  # rows listed in _truth/defects.csv


class Writer:
    """Called once per entity with its frame and the column that dates a row (None: one file).

    A shard of a larger shop writes `<entity><part>.csv` beside the other shards' files, and
    draws its defects from its own streams (`stream` extends the seed). `n_customers` is the
    whole shop's, so an injected orphan id is nobody's.
    """

    def __init__(
        self, out: Path, fmt: str, dirty_rate: float, seed: int, n_customers: int,
        part: str = "", stream: tuple[int, ...] = (),
    ) -> None:  # fmt: skip
        self.out, self.fmt, self.dirty_rate = out, fmt, dirty_rate
        self.seed, self.n_customers = seed, n_customers
        self.part, self.stream = part, stream
        self.rows: dict[str, int] = {}
        self.paths: list[Path] = []
        self.defects: list[pl.DataFrame] = []

    def __call__(self, name: str, frame: pl.DataFrame, day_of: str | None) -> None:
        entity = ENTITIES[name]
        day = (pl.col(day_of) // DAY).cast(pl.Int32).cast(pl.Date) if day_of else pl.lit(None, pl.Date)
        frame = frame.with_columns(day.alias("_day"))
        if self.fmt == "parquet":
            written = write_parquet(self.out, entity, to_typed(frame, entity), self.part)
            self.rows[name] = frame.height
        else:
            text = to_text(frame, entity)
            if self.dirty_rate > 0 and name in PLAN:
                rng = np.random.default_rng([self.seed, 100 + list(ENTITIES).index(name), *self.stream])
                types = {c.name: c.type for c in entity.columns}
                text = inject(rng, name, text, types, self.dirty_rate, self.n_customers)
            lines = to_lines(text, entity)
            written = write_csv(self.out, entity, lines, self.part)
            self.rows[name] = lines.height
            if "_kind" in lines.columns:
                self._record(name, lines.filter(pl.col("_kind").is_not_null()))
        self.paths += written

    def _record(self, name: str, marked: pl.DataFrame) -> None:
        day = marked["_day"].cast(pl.String)
        defects = pl.DataFrame(
            {
                "entity": pl.Series([name] * marked.height, dtype=pl.String),
                "source_file": f"{name}/date=" + day + f"/{name}{self.part}.csv",
                "source_line": marked["_line"],
                "kind": marked["_kind"],
                "column_name": marked["_col"],
            }
        )
        for file in defects.filter(pl.col("kind") == "bad_encoding")["source_file"].unique().sort():
            garble_marked(self.out / file)
        self.defects.append(defects)
