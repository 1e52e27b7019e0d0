"""The building blocks: text formatting, line assembly, the calendar, phone templates."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from pipelines.contract import Column, Entity
from pipelines.generate.contacts import fill_template
from pipelines.generate.orders import _distinct
from pipelines.generate.timeline import (
    DAY,
    Timeline,
    daily_weights,
    epoch_seconds,
    warp_time_of_day,
)
from pipelines.generate.write import to_lines, to_text

ENTITY = Entity(
    "demo",
    key=("id",),
    columns=(
        Column("id", "varchar"),
        Column("at", "timestamp"),
        Column("day", "date"),
        Column("amount", "decimal(18,2)"),
        Column("n", "integer"),
        Column("ok", "boolean"),
    ),
)
TIMELINE = Timeline.build(date(2024, 7, 1), date(2026, 6, 30))


def test_to_text_formats_every_contract_type() -> None:
    frame = pl.DataFrame(
        {
            "id": ["plain", 'say "hi", ok', " padded", None],
            "at": [epoch_seconds(date(2024, 2, 29)) + 3661, None, 0, 86_399],
            "day": [date(2024, 2, 29), None, date(1970, 1, 1), date(2026, 6, 30)],
            "amount": [123_45, -5, 0, None],
            "n": [1, None, -3, 0],
            "ok": [True, False, None, True],
            "_day": [date(2024, 2, 29)] * 4,
        }
    )
    expected = pl.DataFrame(
        {
            "id": ["plain", '"say ""hi"", ok"', '" padded"', ""],
            "at": ["2024-02-29 01:01:01", "", "1970-01-01 00:00:00", "1970-01-01 23:59:59"],
            "day": ["2024-02-29", "", "1970-01-01", "2026-06-30"],
            "amount": ["123.45", "-0.05", "0.00", ""],
            "n": ["1", "", "-3", "0"],
            "ok": ["true", "false", "", "true"],
            "_day": [date(2024, 2, 29)] * 4,
        }
    )
    assert_frame_equal(to_text(frame, ENTITY), expected)


def test_to_lines_numbers_physical_lines_per_file_and_breaks_malformed_rows() -> None:
    text = pl.DataFrame(
        {
            "id": ["a", "b", "c", "d"],
            "at": ["2024-01-01 00:00:00"] * 4,
            "day": ["2024-01-01"] * 4,
            "amount": ["1.00"] * 4,
            "n": ["1"] * 4,
            "ok": ["true", "true", "false", "true"],
            "_day": [date(2024, 1, 1), date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 1)],
            "_kind": [None, "malformed_row", "malformed_row", None],
            "_col": ["", "", "", ""],
            "_variant": [0, 0, 1, 0],
        }
    )
    row = "2024-01-01 00:00:00,2024-01-01,1.00,1"
    expected = pl.DataFrame(
        {
            "line": [f"a,{row},true", f"b,{row}", f"c,{row},false,false", f"d,{row},true"],
            "_day": text["_day"],
            "_line": [2, 3, 2, 4],
            "_kind": text["_kind"],
            "_col": text["_col"],
        }
    )
    assert_frame_equal(to_lines(text, ENTITY), expected, check_dtypes=False)


@settings(deadline=None)  # timing on a shared CI box is no property of the code
@given(st.lists(st.integers(0, 40 * 365 * DAY), min_size=2, max_size=50))
def test_time_of_day_warp_keeps_order_and_day(times: list[int]) -> None:
    t = np.sort(np.array(times, dtype=np.int64))
    warped = warp_time_of_day(t)
    assert (np.diff(warped) >= 0).all()
    assert (warped // DAY == t // DAY).all()


@settings(deadline=None)
@given(st.floats(0, 700), st.floats(0, 50))
def test_operational_time_maps_back_to_the_calendar(u: float, gap: float) -> None:
    t = TIMELINE.from_op(np.array([u, u + gap]))
    assert TIMELINE.start <= t[0] <= t[1]
    assert abs(TIMELINE.to_op(t[:1])[0] - u) < 1.0  # within the same day


def test_demand_peaks_in_november_december_and_on_black_friday() -> None:
    days = np.arange(np.datetime64("2025-01-01"), np.datetime64("2026-01-01"))
    w = daily_weights(days)
    month = days.astype("M8[M]").astype(np.int64) % 12
    assert w[month >= 10].mean() > 1.3 * w[month < 10].mean()
    assert days[np.argmax(w)] == np.datetime64("2025-11-28")  # Black Friday


def test_campaigns_are_sorted_tuesday_newsletters_and_promos() -> None:
    times, ids = TIMELINE.campaigns()
    assert (np.diff(times) > 0).all()
    assert len(ids) == len(set(ids)) == len(times)
    newsletters = [i for i in ids if i.startswith("nl-")]
    assert 100 <= len(newsletters) <= 106
    assert all(date.fromisoformat(i[3:]).weekday() == 1 for i in newsletters)
    assert "bf-2025-11-28" in ids


def test_fill_template_puts_digits_only_at_placeholders() -> None:
    numbers = fill_template(np.random.default_rng(0), "+91 M#### N####", 500)
    assert all(len(n) == 15 and n[:4] == "+91 " and n[9] == " " for n in numbers)
    assert {n[4] for n in numbers} == set("6789")
    assert "0" not in {n[10] for n in numbers}
    assert len(set(numbers)) > 490


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 30), st.integers(0, 11)), min_size=1, max_size=200),
)
@example(lines=[(0, 0), (0, 11), (0, 11)])  # overflow at the top once pushed the cheapest below 0
def test_distinct_products_per_order(lines: list[tuple[int, int]]) -> None:
    size = 12  # a tiny catalogue forces collisions and overflow at the top
    of = np.sort(np.array([o for o, _ in lines]))
    counts = np.bincount(of)
    keep = counts[of] <= size  # an order cannot list more products than exist
    of, rank = of[keep], np.array([r for _, r in lines])[keep]
    out = _distinct(of, rank, size)
    assert ((out >= 0) & (out < size)).all()
    assert len(set(zip(of.tolist(), out.tolist(), strict=True))) == len(of)
    for order in np.unique(of):  # orders that had no clash keep their products
        if len(set(rank[of == order])) == (of == order).sum():
            assert (out[of == order] == rank[of == order]).all()
