"""The CLV segments on the shared DAG run: members follow the rule on marts.customer_clv, the
exports hold only consenting members, and the counts reconcile with the manifest."""

from __future__ import annotations

import csv
import json

import duckdb
import polars as pl
import pytest

pytestmark = pytest.mark.e2e
RULES = {
    "high_value_at_risk": "clv_decile >= 9 and p_alive < 0.5",
    "clv_win_back": "frequency > 0 and p_alive < 0.3",
}


@pytest.mark.parametrize("name", sorted(RULES))
def test_clv_segment_members_and_consent(shop, name: str) -> None:
    settings, _, as_of = shop
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        segment = con.sql(f"select * from segments.segment_{name}").pl()
        expected = con.sql(f"select customer_id, clv_12m from marts.customer_clv where {RULES[name]}").pl()
    assert segment.height > 0, f"a 1,500-customer shop has {name} customers"
    assert set(segment["customer_id"]) == set(expected["customer_id"])
    ranked = segment.sort("clv_rank")
    assert ranked["clv_rank"].to_list() == list(range(1, segment.height + 1))
    assert ranked["clv_12m"].is_sorted(descending=True), "rank 1 = highest expected value"

    day = settings.export_dir / as_of.isoformat()
    with (day / "crm_clv" / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        exported = list(csv.DictReader(f))
    emails = [row["email"] for row in exported]
    assert list(exported[0]) == ["email", "first_name", "last_name", "clv_rank", "clv_12m", "p_alive"]
    ranks = dict(zip(segment["email"], segment["clv_rank"], strict=True))
    assert all(int(row["clv_rank"]) == ranks[row["email"]] for row in exported), "the CRM can sort by rank"
    marketable = set(segment.filter(pl.col("is_marketable"))["email"])
    assert set(emails) <= marketable, "only consenting members are exported"
    refused = segment.filter(~pl.col("is_marketable"))
    assert refused.height > 0 and not set(refused["email"].drop_nulls()) & set(emails)
    counts = json.loads((day / "manifest.json").read_text())["segments"][name]
    assert counts["rows_in"] == segment.height
    assert counts["rows"] == counts["rows_in"] - counts["excluded"] == len(emails)
