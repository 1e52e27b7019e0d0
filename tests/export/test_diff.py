from __future__ import annotations

import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipelines.export.diff import PREVIOUS_SCHEMA, diff, records

ROWS = st.dictionaries(st.integers(0, 30), st.sampled_from(["Ann", "Bo", "Çelik", None]), max_size=25)


def rows(members: dict[int, str | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [f"c{k:02d}" for k in sorted(members)],
            "name": [members[k] for k in sorted(members)],
        },
        schema={"customer_id": pl.String, "name": pl.String},
    )


@given(before=ROWS, after=ROWS)
def test_diff_is_the_set_difference_and_changed_values(before: dict, after: dict) -> None:
    d = diff(rows(after), records(rows(before)))
    assert set(d.added["customer_id"]) == {f"c{k:02d}" for k in after.keys() - before.keys()}
    assert_frame_equal(d.removed, rows({k: v for k, v in before.items() if k not in after}))
    changed = {k for k in after.keys() & before.keys() if after[k] != before[k]}
    assert set(d.changed["customer_id"]) == {f"c{k:02d}" for k in changed}
    assert d.unchanged == len(after.keys() & before.keys()) - len(changed)
    assert_frame_equal(d.full, rows(after))


def test_first_export_adds_everyone() -> None:
    d = diff(rows({1: "Ann", 2: None}), pl.DataFrame(schema=PREVIOUS_SCHEMA))
    assert (d.added.height, d.removed.height, d.unchanged) == (2, 0, 0)
    assert d.removed.columns == ["customer_id", "name"]
