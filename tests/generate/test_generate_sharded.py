"""A shop made in shards (generate_shop's shard_size): each shard's rows are extra part files in
the same daily folders, and the shop keeps its promises across shards."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import polars as pl

from pipelines.contract import ENTITIES
from pipelines.generate import generate_shop
from tests.generate.conftest import Shop
from tests.generate.test_generate_determinism import SHORT, digest

SINGLE_FILE = {"products", "marketing_spend"}


def test_a_shard_as_large_as_the_shop_changes_no_byte(tmp_path: Path) -> None:
    whole = digest(generate_shop(tmp_path / "a", 300, seed=9, dirty_rate=0.05, **SHORT).out)
    same = digest(generate_shop(tmp_path / "b", 300, seed=9, dirty_rate=0.05, shard_size=300, **SHORT).out)
    assert whole == same


def test_same_arguments_give_the_same_shards(tmp_path: Path) -> None:
    first = digest(generate_shop(tmp_path / "a", 300, seed=9, dirty_rate=0.05, shard_size=100, **SHORT).out)
    second = digest(generate_shop(tmp_path / "b", 300, seed=9, dirty_rate=0.05, shard_size=100, **SHORT).out)
    assert first == second
    assert {p.split("/")[-1] for p in first if p.startswith("orders/")} == {
        f"orders-00{k}.csv" for k in range(3)
    }


def test_each_shard_writes_its_own_file_of_a_day(sharded_shop: Shop) -> None:
    parts: dict[str, set[str]] = {}
    for name in ENTITIES:
        for f in sorted((sharded_shop.out / name).rglob("*.csv")):
            rel = f.relative_to(sharded_shop.out).as_posix()
            if name in SINGLE_FILE:
                assert rel == f"{name}/{name}.csv"
            else:
                found = re.fullmatch(rf"({name}/date=\d{{4}}-\d\d-\d\d)/{name}-00[012]\.csv", rel)
                assert found, rel
                parts.setdefault(found.group(1), set()).add(rel)
    assert max(len(p) for p in parts.values()) == 3, "busy days have a file from every shard"
    written = sorted(p.relative_to(sharded_shop.out) for p in sharded_shop.summary.paths)
    on_disk = [p.relative_to(sharded_shop.out) for p in sharded_shop.out.rglob("*.csv")]
    assert written == sorted(p for p in on_disk if p.parts[0] != "_truth")
    assert sum(sharded_shop.summary.rows.values()) == sum(
        sharded_shop.one(f"select count(*) from {name}") for name in ENTITIES
    )


def test_the_truth_covers_every_shard(sharded_shop: Shop) -> None:
    params = pl.read_parquet(sharded_shop.out / "_truth" / "customer_params.parquet")
    sharded_shop.db.register("params", params)
    assert params.height == 3000 == sharded_shop.truth["customers"]
    assert params["customer_id"].to_list() == [f"C{i:08d}" for i in range(1, 3001)]
    assert sharded_shop.one("select count(distinct person_id) from params") == sharded_shop.truth["people"]
    mismatched = """select count(*) from params p left join (
                      select customer_id, count(*) as n from orders where status <> 'cancelled' group by 1
                    ) o using (customer_id) where coalesce(o.n, 0) <> p.orders"""
    assert sharded_shop.one(mismatched) == 0


def test_people_keep_one_address_across_shards_and_second_accounts_share_it(sharded_shop: Shop) -> None:
    sharded_shop.db.register(
        "params", pl.read_parquet(sharded_shop.out / "_truth" / "customer_params.parquet")
    )
    accounts = """select p.customer_id, p.person_id, lower(trim(c.email)) as address, c.phone
                  from params p join (select distinct customer_id, email, phone from customers) c
                  using (customer_id)"""
    shared = f"""select count(*) from (select address from ({accounts}) group by 1
                 having count(distinct person_id) > 1)"""
    assert sharded_shop.one(shared) == 0, "an address names one person, whichever shard made them"
    seconds = f"""select count(*), count(*) filter (where a.address <> o.address)
                  from ({accounts}) a join ({accounts}) o on o.customer_id = a.person_id
                  where a.customer_id <> a.person_id"""
    total, differing = sharded_shop.db.execute(seconds).fetchall()[0]
    assert total > 20 and differing == 0
    late = "select count(*) from params where customer_id <> person_id and customer_id > 'C00002000'"
    assert sharded_shop.one(late) > 0, "the last shard has second accounts too"


def test_privacy_lists_and_referrals_name_real_accounts_of_every_shard(sharded_shop: Shop) -> None:
    for name in ("erasures", "suppressions"):
        named = f"""select count(*), count(distinct substr(l.customer_id, 2)::int // 1000),
                    count(*) filter (where lower(trim(l.email)) <> lower(trim(c.email)))
                    from {name} l join (select distinct customer_id, email from customers) c
                    using (customer_id)"""
        joined, shards, wrong_email = sharded_shop.db.execute(named).fetchall()[0]
        assert joined == sharded_shop.one(f"select count(*) from {name}") and shards == 3 and wrong_email == 0
    early = """select count(*) from referrals r join customers c on c.customer_id = r.referrer_customer_id
               and c.updated_at = c.signed_up_at where r.referred_at < c.signed_up_at"""
    assert sharded_shop.one(early) == 0


def test_a_sharded_shop_starts_and_ends_as_asked(tmp_path: Path) -> None:
    shop = generate_shop(tmp_path, 200, seed=3, shard_size=100, **SHORT)
    days = sorted(p.name for p in (tmp_path / "orders").iterdir())
    assert days[0] >= f"date={SHORT['start']}" and days[-1] <= f"date={SHORT['end']}"
    summary = Shop(tmp_path, shop).truth
    assert (summary["start_date"], summary["end_date"]) == (str(SHORT["start"]), str(SHORT["end"]))
    assert date.fromisoformat(summary["end_date"]) == date(2026, 1, 31)


def test_the_cli_writes_a_shop_in_shards(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pipelines.cli import app

    args = ["generate", "--customers", "80", "--seed", "3", "--shard-size", "40", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(app, [*args[:-3], "10", "--out", str(tmp_path / "b")])
    assert refused.exit_code == 2 and "shard_size must be at least" in refused.output
    parts = {f.name for f in (tmp_path / "customers").rglob("*.csv")}
    assert parts == {"customers-000.csv", "customers-001.csv"}, parts
