"""Overlapping runs: a stage refuses another day's uncommitted batch, a commit never passes empty."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipelines import stages
from pipelines.load import commit_staged, stage_landing
from pipelines.load.commit import NothingStaged
from pipelines.load.guard import RunOverlap
from tests.load.support import ORDERS_HEADER, Site

D1, D2 = date(2024, 3, 1), date(2024, 3, 2)
ROWS = "o1,c1,2024-02-01,10,placed\no2,c2,2024-02-01,20,placed\n"


def _orders(site: Site) -> int:
    return int(site.query("select count(*) from raw.orders")[0][0])


def test_a_stage_for_another_day_refuses_a_waiting_batch_naming_its_run(site: Site) -> None:
    site.write("orders/date=2024-02-01/o.csv", ORDERS_HEADER + ROWS)
    site.stage("backfill__2024-03-01", D1)
    with pytest.raises(RunOverlap) as err:
        site.stage("scheduled__2024-03-02", D2)
    message = str(err.value)
    assert "run backfill__2024-03-01 staged a batch for as-of 2024-03-01" in message
    assert "--max-active-runs 1" in message
    assert commit_staged(site.warehouse, "backfill__2024-03-01").files == 1  # its batch is intact
    assert _orders(site) == 2
    site.stage("scheduled__2024-03-02", D2)  # committed: the next day may stage


def test_a_replaced_batch_fails_its_commit_and_every_retry(site: Site) -> None:
    site.write("orders/date=2024-02-01/o.csv", ORDERS_HEADER + ROWS)
    site.stage("manual_a", D1)
    site.stage("manual_b", D1)  # a rerun of the same day replaces the batch
    with pytest.raises(ValueError, match="staged by run manual_b, not by manual_a"):
        commit_staged(site.warehouse, "manual_a")
    assert commit_staged(site.warehouse, "manual_b").files == 1
    with pytest.raises(NothingStaged, match="nothing staged by run manual_a"):
        commit_staged(site.warehouse, "manual_a")  # the retry: never green with nothing loaded
    assert commit_staged(site.warehouse, "manual_b").files == 0  # its own retry is a no-op
    assert _orders(site) == 2


def test_a_batch_left_by_a_dead_run_is_replaced_once_abandoned(site: Site) -> None:
    site.write("orders/date=2024-02-01/o.csv", ORDERS_HEADER + ROWS)
    site.stage("died_before_commit", D1)
    stage_landing(site.landing, site.warehouse, D2, "next_day", abandon_after=timedelta(0))
    assert commit_staged(site.warehouse, "next_day").files == 1


@pytest.mark.parametrize("ds", ["None", ""])
def test_a_run_without_a_logical_date_is_refused_in_one_line(ds: str) -> None:
    for stage in (lambda: stages.extract(ds, "manual__x"), lambda: stages.stage(ds, "manual__x")):
        with pytest.raises(stages.NoLogicalDate) as err:
            stage()
        assert "\n" not in str(err.value) and "no logical date" in str(err.value)
