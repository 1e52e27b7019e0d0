"""Defect injection for CSV exports, each defect recorded with the physical line it sits on.

Works on the text of the rows (every column already formatted as it will be
written) so the defects are the ones real exports have: broken rows, text in
numeric columns, impossible dates, re-exported duplicates, unknown customers.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.generate.timeline import masked

ENCODING_START, ENCODING_END = "\ue000", "\ue001"  # replaced by invalid bytes on disk
# entity: {kind: columns the defect can hit; () for row-level defects}
PLAN: dict[str, dict[str, tuple[str, ...]]] = {
    "orders": {
        "malformed_row": (),
        "wrong_type": ("amount", "ordered_at"),
        "negative_value": ("amount",),
        "duplicate_key": ("order_id",),
        "orphan_customer": ("customer_id",),
        "future_date": ("ordered_at",),
    },
    "order_lines": {
        "malformed_row": (),
        "wrong_type": ("quantity", "unit_price"),
        "negative_value": ("quantity", "unit_price"),
        "duplicate_key": ("order_line_id",),
    },
    "customers": {
        "malformed_row": (),
        "wrong_type": ("birthday", "signed_up_at"),
        "duplicate_key": ("customer_id",),
        "future_date": ("signed_up_at", "birthday"),
        "bad_encoding": ("first_name", "last_name"),
    },
}
_QUOTE_BROKEN = {"orders": "customer_id", "order_lines": "product_id", "customers": "customer_id"}
_BAD_TEXT = {
    "decimal(18,2)": ("abc", "€12.50", '"12,50"'),
    "integer": ("two", "3 pcs", "one"),
}


def _wrong(value: pl.Expr, sql_type: str, variant: pl.Expr) -> pl.Expr:
    if sql_type in ("timestamp", "date"):
        y, m, d = value.str.slice(0, 4), value.str.slice(5, 2), value.str.slice(8, 2)
        rest = value.str.slice(10)
        options = [
            pl.concat_str(y, pl.lit("-13-"), d, rest) if sql_type == "timestamp" else
            pl.concat_str(y, pl.lit("-02-30")),
            pl.concat_str(d, pl.lit("/"), m, pl.lit("/"), y, rest),
            pl.lit("N/A" if sql_type == "timestamp" else "0000-00-00"),
        ]  # fmt: skip
    else:
        options = [pl.lit(t) for t in _BAD_TEXT[sql_type]]
    value_missing = value.is_null() | (value == "")
    chosen = pl.when(variant == 0).then(options[0]).when(variant == 1).then(options[1])
    return pl.when(value_missing).then(pl.lit("0000-00-00")).otherwise(chosen.otherwise(options[2]))


def _column_choice(plan: dict[str, tuple[str, ...]]) -> pl.Expr:
    """Which column a row's defect hits: the first option, or the second when _pick is 1."""
    expr = pl.lit("")
    for kind, options in plan.items():
        if options:
            chosen = pl.lit(options[0])
            if len(options) > 1:
                chosen = pl.when(pl.col("_pick") == 1).then(pl.lit(options[1])).otherwise(chosen)
            expr = pl.when(pl.col("_kind") == kind).then(chosen).otherwise(expr)
    if "bad_encoding" in plan:  # mangle a name that has non-ASCII letters when there is one
        ascii_first = pl.col("first_name").str.contains(r"^[\x00-\x7f]*$")
        name = pl.when(ascii_first).then(pl.lit("last_name")).otherwise(pl.lit("first_name"))
        expr = pl.when(pl.col("_kind") == "bad_encoding").then(name).otherwise(expr)
    return expr


def _edit(column: str, sql_type: str, entity: str) -> pl.Expr:
    value, kind = pl.col(column), pl.col("_kind")
    at = pl.col("_col") == column
    in_2099 = pl.concat_str(pl.lit("2099"), value.str.slice(4))
    future = pl.when(value == "").then(pl.lit("2099-06-15")).otherwise(in_2099)
    rules = [
        (at & (kind == "negative_value"), pl.concat_str(pl.lit("-"), value)),
        (at & (kind == "future_date"), future),
        (at & (kind == "orphan_customer"), pl.col("_orphan")),
        (at & (kind == "bad_encoding"), pl.concat_str(pl.lit(ENCODING_START), value, pl.lit(ENCODING_END))),
    ]  # fmt: skip
    if sql_type in ("timestamp", "date", "integer", "decimal(18,2)"):
        rules.append((at & (kind == "wrong_type"), _wrong(value, sql_type, pl.col("_variant"))))
    if column == _QUOTE_BROKEN[entity]:  # an unescaped quote, as hand-edited files have
        broken = pl.concat_str(pl.lit('"'), value.str.slice(0, 3), pl.lit('"'), value.str.slice(3))
        rules.append(((kind == "malformed_row") & (pl.col("_variant") == 2), broken))
    edit = value
    for condition, replacement in rules:
        edit = pl.when(condition).then(replacement).otherwise(edit)
    return edit.alias(column)


def inject(
    rng: np.random.Generator, entity: str, text: pl.DataFrame, types: dict[str, str],
    rate: float, n_customers: int,
) -> pl.DataFrame:  # fmt: skip
    """Text rows (+ `_day`) with about `rate` of them defective, marked in `_kind`/`_col`.

    Duplicates are inserted as extra copies at a random place in the same file; the
    copy carries the mark. Rows come back in file order.
    """
    plan = PLAN[entity]
    n = text.height
    kinds = np.array(list(plan))
    hit = rng.random(n) < rate
    orphan = rng.integers(n_customers + 1, n_customers + 10**6, n)
    frame = text.with_columns(
        _kind=masked(kinds[rng.integers(0, len(kinds), n)], hit),
        _pick=pl.Series(rng.integers(0, 2, n)),
        _variant=pl.Series(rng.integers(0, 3, n)),
        _orphan=pl.Series(orphan).cast(pl.String).str.zfill(8).str.pad_start(9, "C"),
        _pos=pl.int_range(pl.len()).over("_day").cast(pl.Float64),
        _size=pl.len().over("_day"),
    ).with_columns(_col=_column_choice(plan))
    dup = pl.col("_kind") == "duplicate_key"
    copies = frame.filter(dup)
    copies = copies.with_columns(_pos=pl.Series(rng.random(copies.height)) * pl.col("_size"))
    frame = frame.with_columns(_kind=pl.when(dup).then(None).otherwise("_kind"))
    frame = pl.concat([frame, copies]).sort("_day", "_pos", maintain_order=True)
    edits = [_edit(c, types[c], entity) for c in text.columns if c != "_day"]
    return frame.with_columns(edits).drop("_pick", "_orphan", "_pos", "_size")
