"""Phone numbers come from pools that grow with the shop; a fixed share of households share one.

The erasure's one hop (people sharing an erased person's phone are erased too) then has work
proportional to the shop, as in a real shop. With the former fixed pools (Ofcom's 1,000 GB
drama numbers, North America's 555-01xx) every number's holders grew with the shop.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import phonenumbers
import polars as pl
import pyarrow as pa
import pytest

from pipelines.generate.contacts import CODES
from pipelines.generate.customers import draw_base
from pipelines.generate.households import SHARE
from pipelines.generate.timeline import Timeline
from pipelines.phones import e164

TL_ARGS = (date(2024, 7, 1), date(2026, 6, 30))


def _accounts(n: int, seed: int = 5) -> pl.DataFrame:
    tl = Timeline.build(*TL_ARGS)
    base = draw_base(np.random.default_rng([seed, 1]), n, tl, tl.campaigns()[0])
    country = np.array(CODES)[base.country]
    key = e164(pa.array(base.people["phone"].to_arrow()), pa.array(country))
    return pl.DataFrame(
        {"phone": base.people["phone"], "country": country, "key": pl.Series(key), "solo": base.dup_of < 0}
    )


@pytest.fixture(scope="module")
def small() -> pl.DataFrame:
    return _accounts(20_000)


@pytest.fixture(scope="module")
def large() -> pl.DataFrame:
    return _accounts(200_000)


def _max_holders(accounts: pl.DataFrame) -> int:
    return int(accounts.drop_nulls("key").group_by("key").len()["len"].max())  # type: ignore[arg-type]


def test_holders_of_a_number_do_not_grow_with_the_shop(small: pl.DataFrame, large: pl.DataFrame) -> None:
    # a household and a person's second accounts: a handful, at any size (fixed pools: 30+ at 200k)
    assert _max_holders(large) <= 6
    assert _max_holders(large) <= _max_holders(small) + 2


@pytest.mark.parametrize("which", ["small", "large"])
def test_a_fixed_share_of_people_share_a_number(which: str, request: pytest.FixtureRequest) -> None:
    accounts: pl.DataFrame = request.getfixturevalue(which)
    people = accounts.filter(pl.col("solo") & pl.col("key").is_not_null())
    shared = people.filter(pl.col("key").is_duplicated()).height / people.height
    # each household is a taker (SHARE of the people) and its giver; chance meetings are rare
    assert 1.6 * SHARE <= shared <= 2.4 * SHARE


def test_gb_and_north_american_numbers_are_valid_and_their_own(large: pl.DataFrame) -> None:
    rows = large.filter(pl.col("country").is_in(["GB", "US", "CA"]) & pl.col("phone").is_not_null())
    numbers = [phonenumbers.parse(p, c) for p, c in rows.select("phone", "country").iter_rows()]
    valid = [phonenumbers.is_valid_number(x) for x in numbers]
    assert sum(valid) / len(valid) > 0.99
    regions = [phonenumbers.region_code_for_number(x) for x in numbers]
    agree = [r == c for r, c in zip(regions, rows["country"], strict=True)]
    assert sum(agree) / len(agree) > 0.99  # a Canadian number is not in a US area, nor the other way
