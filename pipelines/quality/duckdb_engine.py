"""A GX pandas datasource whose aggregate metrics come from DuckDB, not from a pandas copy.

GX 1.24 has no DuckDB dialect and its SQL datasource over duckdb-engine returns empty metrics
(GX #11579), so GX keeps its pandas engine and its expectation logic (success, result format,
validation results, data docs), but is handed a zero-row frame with the batch's columns: the
per-row conditions it builds are empty, and every count, example and min/max it asks for is
answered by `duckdb_metrics` over the batch's DuckDB file. A metric this engine does not know
is computed by pandas on zero rows, which would be wrong: `run_suite` only takes this path for
suites whose expectations are all in `SUPPORTED` (else it hands GX the full frame).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar, Literal

from great_expectations.datasource.fluent import PandasDatasource
from great_expectations.execution_engine import PandasExecutionEngine

from pipelines.quality.duckdb_metrics import Misses, handled, metric_value
from pipelines.quality.duckdb_open import opened
from pipelines.quality.duckdb_scan import answer_in_one_scan

SUPPORTED = frozenset(
    {
        "expect_column_to_exist",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_match_regex",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_max_to_be_between",
        "expect_column_min_to_be_between",
        "expect_table_row_count_to_be_between",
    }
)


class DuckDBMetricsEngine(PandasExecutionEngine):  # type: ignore[misc]
    def __init__(
        self, *args: Any, database: str, source: str = "", order: tuple[str, ...] = ("rowid",), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._database, self._source, self._order = database, source, tuple(order)
        self._misses: Misses = {}  # one batch per engine: a regex's rejected values, read once

    def resolve_metrics(
        self,
        metrics_to_resolve: Iterable[Any],
        metrics: dict[Any, Any] | None = None,
        runtime_configuration: dict[str, Any] | None = None,
    ) -> dict[Any, Any]:
        todo = list(metrics_to_resolve)
        ours = [m for m in todo if handled(m.metric_name)]
        rest = [m for m in todo if not handled(m.metric_name)]
        resolved = super().resolve_metrics(rest, metrics, runtime_configuration) if rest else {}
        if ours:
            with opened(self._database, self._source) as (con, held):
                located = {} if held is None else held.located.setdefault(self._source, {})
                types = dict(con.execute("select column_name, column_type from (describe batch)").fetchall())
                resolved.update(answer_in_one_scan(con, ours, types, self._misses))
                for m in ours:
                    if m.id in resolved:
                        continue
                    domain = dict(m.metric_domain_kwargs)
                    value = dict(m.metric_value_kwargs or {})
                    resolved[m.id] = metric_value(
                        con, m.metric_name, domain, value, types, self._misses, self._order, located
                    )
        return resolved


class DuckDBMetricsDatasource(PandasDatasource):  # type: ignore[misc]
    """GX's pandas datasource with `DuckDBMetricsEngine` over the batch `database` (a file with
    table `batch`, or the held warehouse's key with the batch's query `source`) in `order`."""

    execution_engine_override: ClassVar[type[PandasExecutionEngine]] = DuckDBMetricsEngine
    type: Literal["rapport_duckdb_metrics"] = "rapport_duckdb_metrics"  # type: ignore[assignment]
    database: str
    source: str = ""
    order: tuple[str, ...] = ("rowid",)
