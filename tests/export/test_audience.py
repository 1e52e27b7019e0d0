from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.export.audience import Blocklist, by_priority, eligible
from tests.export.factories import person

STATE = st.fixed_dictionaries(
    {
        "is_marketable": st.sampled_from([True, False, None]),
        "has_email": st.booleans(),
        "suppressed_by": st.sampled_from([None, "id", "email"]),
        "erased": st.booleans(),
        "email_case": st.sampled_from(["lower", "upper", "padded"]),
    }
)


@settings(max_examples=200, deadline=None)
@given(states=st.lists(STATE, max_size=40))
def test_only_consenting_unblocked_customers_survive(states: list[dict]) -> None:
    people = [person(i, s["is_marketable"], email=person(i)["email"] if s["has_email"] else None)
              for i, s in enumerate(states)]  # fmt: skip
    schema = {k: pl.Boolean if k == "is_marketable" else pl.String for k in person(0)}
    frame = pl.DataFrame(people, schema=schema)

    def listed_email(i: int, case: str) -> str:
        email = f"person{i:04d}@example.com"
        return {"lower": email, "upper": email.upper(), "padded": f" {email} "}[case]

    # the block lists arrive normalised (read.py lower-cases and trims them)
    suppressed = Blocklist(
        frozenset(f"c{i:04d}" for i, s in enumerate(states) if s["suppressed_by"] == "id"),
        frozenset(listed_email(i, "lower") for i, s in enumerate(states) if s["suppressed_by"] == "email"),
    )
    erased = Blocklist(frozenset(f"c{i:04d}" for i, s in enumerate(states) if s["erased"]))
    kept = eligible(frame, suppressed | erased)
    expected = {
        f"c{i:04d}"
        for i, s in enumerate(states)
        if s["is_marketable"] is True and s["has_email"] and s["suppressed_by"] is None and not s["erased"]
    }
    assert set(kept["customer_id"]) == expected
    assert kept.columns == frame.columns


@given(
    memberships=st.lists(st.sets(st.sampled_from(["a", "b", "c"])), max_size=30),
    order=st.permutations(["a", "b", "c"]),
)
def test_priority_keeps_each_customer_in_their_best_segment_only(
    memberships: list[set[str]], order: list[str]
) -> None:
    segments = {
        name: pl.DataFrame(
            {"customer_id": [f"c{i}" for i, m in enumerate(memberships) if name in m]},
            schema={"customer_id": pl.String},
        )
        for name in "abc"
    }
    priority: dict[str, int | None] = {order[0]: 1, order[1]: 2, order[2]: None}
    out = by_priority(segments, priority)
    for i, m in enumerate(memberships):
        cid = f"c{i}"
        where = {name for name, f in out.items() if cid in f["customer_id"].to_list()}
        ranked = [n for n in order[:2] if n in m]
        assert where == ({ranked[0]} if ranked else set()) | ({order[2]} & m)
