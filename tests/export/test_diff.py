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


@given(before=ROWS, after=ROWS)
def test_the_diff_does_not_depend_on_the_baselines_order(before: dict, after: dict) -> None:
    """baseline.py reads a pair's baseline in no order: the same diff whatever its row order."""
    previous = records(rows(before))
    d, shuffled = diff(rows(after), previous), diff(rows(after), previous.reverse())
    for name in ("full", "added", "removed", "changed", "records"):
        assert_frame_equal(getattr(d, name), getattr(shuffled, name))
    assert d.unchanged == shuffled.unchanged


def test_a_first_exports_added_list_is_its_full_list_itself() -> None:
    """No anti join against an empty baseline, and write.py sees the same frame (serialised once,
    with no comparison of the two: 0.3 s of `equals` at 1M customers)."""
    full = rows({1: "Ann", 2: None})
    d = diff(full, pl.DataFrame(schema=PREVIOUS_SCHEMA))
    assert d.added is d.full
