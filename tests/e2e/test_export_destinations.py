"""Three consecutive days of the real DAG with every destination, a suppression list, an
erasure before day 2 (sent as removals on day 2, swept from everything on day 3) and a
webhook receiver that fails, throttles and times out.

Every expectation is recomputed here from the landing files and the exported files,
sharing no code with pipelines/export.
"""

from __future__ import annotations

import csv
import hashlib
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import duckdb
import phonenumbers
import polars as pl
import pytest
import yaml

from orchestration.local_airflow import run_dag
from pipelines.asof import default_as_of
from pipelines.export import export_segments
from pipelines.generate import generate_shop
from pipelines.settings import REPO_ROOT, Settings, get_settings
from tests.e2e import independent
from tests.e2e.leftovers import leftovers, needles
from tests.export.loopback import receiver

pytestmark = pytest.mark.e2e

LAYOUTS = {
    "crm/champions.csv": ["email", "first_name", "last_name", "segment"],
    "hubspot/top_20pct_revenue.csv": ["Email", "First Name", "Last Name", "Phone Number", "rapport_segment",
                                      "rfm_segment", "net_revenue"],
    "mailchimp/birthdays_next_7_days.csv": ["Email Address", "First Name", "Last Name", "Tags"],
    "klaviyo/at_risk.csv": ["Email", "First Name", "Last Name", "Phone Number", "Email Marketing Consent",
                            "rapport_segment"],
    "google_ads/champions.csv": ["Email", "Phone", "First Name", "Last Name", "Country", "Zip"],
    "meta_ads/champions.csv": ["email", "phone", "fn", "ln", "country"],
}  # fmt: skip


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def google_email(email: str) -> str:
    """Google: lower case, no whitespace; gmail/googlemail without dots and +tag."""
    local, domain = "".join(email.split()).lower().rsplit("@", 1)
    return (
        f"{local.split('+')[0].replace('.', '')}@{domain}"
        if domain in ("gmail.com", "googlemail.com")
        else f"{local}@{domain}"
    )


def google_name(name: str) -> str:
    """Google: lower case, no punctuation, no leading or trailing whitespace."""
    kept = "".join(c for c in name if not unicodedata.category(c).startswith("P"))
    return unicodedata.normalize("NFC", " ".join(kept.split()).lower())


def e164(phone: str | None, country: str | None) -> str | None:
    try:
        number = phonenumbers.parse(phone or "", country)
    except phonenumbers.NumberParseException:
        return None
    return (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_possible_number(number)
        else None
    )


def meta_name(name: str) -> str:
    """Lower-case without punctuation, symbols or spaces; letters and their marks of any script kept."""
    return "".join(c for c in name.lower() if unicodedata.category(c)[0] not in "PSZC" and not c.isspace())


def landing_before(landing: Path, day: date, out: Path) -> Path:
    """The landing folder as it stood for `day`: daily partitions before it, plus single files."""
    for path in landing.rglob("*.csv"):
        rel = path.relative_to(landing)
        dates = [p.removeprefix("date=") for p in rel.parts if p.startswith("date=")]
        if rel.parts[0].startswith("_") or (dates and dates[0] >= day.isoformat()):
            continue
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).symlink_to(path)
    return out


def blocked_emails(landing: Path, as_of) -> set[str]:
    """People who may not be marketed as of `as_of`, as in tests/e2e/test_daily_dag.py."""
    ids = independent.people(landing)
    cutoff = pl.lit(as_of).cast(pl.Datetime)
    opted_out = set(ids.filter(pl.col("unsubscribed_at") < cutoff)["person"])
    events = independent.read(landing, "email_events")
    unsub = events.filter(
        pl.col("event_type") == "unsubscribe", pl.col("occurred_at").str.to_datetime(strict=False) < cutoff
    )
    opted_out |= set(ids.filter(pl.col("source_id").is_in(unsub["customer_id"].implode()))["person"])
    latest = ids.sort(["version_at", "source_id"], nulls_last=False).group_by("person").last()
    opted_out |= set(latest.filter(~pl.col("consent").fill_null(False))["person"])
    return {e for e, p in zip(ids["email"], ids["person"], strict=True) if p in opted_out and e}


def test_two_days_of_exports_to_every_destination(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home, landing = tmp_path / "home", tmp_path / "home" / "landing"
    generate_shop(landing, customers=500, seed=23)
    day2 = default_as_of(landing)
    day1 = day2 - timedelta(days=1)
    # sorted: polars' unique() keeps no order, so head(6) below drew other people each run and the
    # day-2 expectations (who changed, who was erased) with them: the test was flaky, not the DAG
    customers = independent.read(landing, "customers").unique("customer_id", keep="last").sort("customer_id")
    consenting = customers.filter(pl.col("marketing_consent") == "true", pl.col("email").is_not_null())
    suppressed = consenting.head(6)
    pl.DataFrame({
        "email": [f"  {e.upper()} " for e in suppressed["email"][:3]] + [None] * 3,
        "customer_id": [None] * 3 + suppressed["customer_id"][3:].to_list(),
        "reason": ["complaint"] * 6, "suppressed_at": [f"{day1 - timedelta(days=9)} 10:00:00"] * 6,
    }).write_csv(landing / "suppressions.csv")  # fmt: skip

    config = yaml.safe_load((REPO_ROOT / "config" / "destinations.yml").read_text())
    settings = Settings(home=home)
    with receiver(["503", "429", "slow", "503"]) as hook:
        hook.slow_seconds = 3.0
        config["destinations"]["automation"].update(
            enabled=True, url=hook.url, timeout_seconds=1.0, backoff_seconds=0.2
        )
        (tmp_path / "destinations.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        monkeypatch.setenv("RAPPORT_DESTINATIONS_FILE", str(tmp_path / "destinations.yml"))
        monkeypatch.setenv("RAPPORT_WEBHOOK_TOKEN", "e2e-token")

        proc = run_dag(settings, day1, landing)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]
        # a right-to-erasure request for three day-1 champions arrives before day 2
        champions1 = {r["email"] for r in rows(settings.export_dir / str(day1) / "crm" / "champions.csv")}
        erased = customers.filter(
            pl.col("email").str.strip_chars().str.to_lowercase().is_in(sorted(champions1)[:3])
        )
        requested = pl.lit(f"{day1} 08:00:00").alias("requested_at")
        erased.select("customer_id", pl.lit(None).alias("email"), requested).write_csv(
            landing / "erasures.csv"
        )
        # every identifier of the erased people (all their accounts), recomputed from landing
        people = independent.people(landing)
        persons = people.filter(pl.col("source_id").is_in(erased["customer_id"].implode()))["person"]
        erased_accounts = people.filter(pl.col("person").is_in(persons.implode()))["source_id"].to_list()
        found = needles(independent.read(landing, "customers"), erased_accounts)
        erasure_list = frozenset(c.lower() for c in erased["customer_id"])
        # the landing folder is the user's drop zone, out of scope (DECISIONLOG); the erasure
        # list is its one file allowed to name them
        drop_zone = {p for p in landing.rglob("*") if p.is_file()}
        assert leftovers(home, found, drop_zone, erasure_list), "before the erasure the check finds them"
        proc = run_dag(settings, day2, landing)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]

        before = {
            p: p.read_bytes()
            for p in (settings.export_dir / str(day2)).rglob("*")
            if p.is_file() and p.name != "manifest.json"
        }
        requests = hook.requests
        # in this process as in the DAG: the same home, so the same erasure key (keyed hashes)
        monkeypatch.setenv("RAPPORT_HOME", str(home))
        get_settings.cache_clear()
        rerun = export_segments(
            settings.warehouse_path, settings.export_dir, settings.quality_dir, day2, "rerun",
            config_path=tmp_path / "destinations.yml", data_docs=False,
        )  # fmt: skip
        get_settings.cache_clear()
        assert hook.requests == requests, "a rerun sends nothing"
        assert {p: p.read_bytes() for p in before} == before, "a rerun rewrites the same bytes"
        assert all(d.batches_sent == 0 for d in rerun.deliveries)
        # day 3: the run after the erasure's removal sweeps every earlier export and the ledger
        day3 = day2 + timedelta(days=1)
        proc = run_dag(settings, day3, landing)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-5000:]

    # every account of the erased people (the run forgot int_customers_erased with them)
    erased_ids = set(erased_accounts)
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        in_marts = con.execute(
            "select count(*) from marts.customers where customer_id in (select unnest($ids::varchar[]))"
            " or list_has_any(string_split(source_customer_ids, '|'), $ids::varchar[])",
            {"ids": sorted(erased_ids)},
        ).fetchall()[0][0]
        their_orders = independent.read(landing, "orders").filter(
            pl.col("customer_id").is_in(erased_accounts)
        )
        kept = con.execute(
            "select count(*), count(customer_id) from raw.orders"
            " where order_id in (select unnest($o::varchar[]))",
            {"o": their_orders["order_id"].to_list()},
        ).fetchall()[0]
        erased_rows = con.execute("select sum(rows_erased) from raw._erased_rows").fetchall()[0][0]
    assert kept[0] > 0 and kept[1] == 0, "their orders stay, without a person"
    assert erased_rows >= len(erased), "raw._erased_rows counts the customers rows erasure deleted"
    assert in_marts == 0, "erased people left marts.customers"
    d1, d2 = settings.export_dir / str(day1), settings.export_dir / str(day2)
    for name, columns in LAYOUTS.items():
        got = rows(d2 / name)
        assert got, name
        assert list(got[0]) == columns, name
    assert pl.read_parquet(d2 / "lake" / "champions.parquet")["customer_id"].n_unique() > 0

    # hashes = independent normalise-then-SHA-256 of the landing values
    # contact details of a person come from their most recently updated account
    accounts = independent.read(landing, "customers").filter(pl.col("email").is_not_null())
    version = pl.coalesce("updated_at", "signed_up_at").str.to_datetime(strict=False)
    latest = (
        accounts.with_columns(
            version.alias("v"), pl.col("email").str.strip_chars().str.to_lowercase().alias("e")
        )
        .sort(["v", "customer_id"], nulls_last=False)
        .group_by("e")
        .last()
    )
    by_email = {r["e"]: r for r in latest.iter_rows(named=True)}
    crm = rows(d2 / "crm" / "champions.csv")
    google, meta = rows(d2 / "google_ads" / "champions.csv"), rows(d2 / "meta_ads" / "champions.csv")
    assert {r["Email"] for r in google} == {sha(google_email(r["email"])) for r in crm}
    assert {r["email"] for r in meta} == {sha(r["email"]) for r in crm}
    phones = {e164(by_email[r["email"]]["phone"], by_email[r["email"]]["country"]) for r in crm} - {None}
    assert {r["Phone"] for r in google} - {""} == {sha(p) for p in phones}
    assert {r["phone"] for r in meta} - {""} == {sha(p.lstrip("+")) for p in phones}
    assert {r["First Name"] for r in google} - {""} == {
        sha(google_name(r["first_name"])) for r in crm if google_name(r["first_name"] or "")
    }
    assert {r["fn"] for r in meta} - {""} == {sha(meta_name(r["first_name"])) for r in crm if r["first_name"]}

    # day-2 added/removed = set differences of the full lists
    for dest, key in (("crm", "email"), ("google_ads", "Email"), ("klaviyo", "Email")):
        for segment in ("champions", "win_back") if dest != "klaviyo" else ("at_risk", "win_back"):
            one, two = ({r[key] for r in rows(d / dest / f"{segment}.csv")} for d in (d1, d2))
            added, removed = (
                {r[key] for r in rows(d2 / dest / f"{segment}.{kind}.csv")} for kind in ("added", "removed")
            )
            # day 1 was swept of the erased; they left on day 2 as removals (unsubscribes)
            erased_keys = _keys(erased, dest) & (removed - one)
            assert added == two - one, (dest, segment)
            assert removed == (one - two) | erased_keys, (dest, segment)

    # nobody without consent, suppressed or erased, anywhere
    listed = {e.strip().lower() for e in suppressed["email"]}
    gone = {e.strip().lower() for e in erased["email"] if e}
    before_day1 = landing_before(landing, day1, tmp_path / "landing_day1")
    # `removed` lists tell a tool to drop people, so those who lost consent belong there, and
    # the erased too on the day they leave; the next run sweeps them from every earlier day
    for day, banned in (
        (d1, blocked_emails(before_day1, day1) | listed | gone),
        (d2, blocked_emails(landing, day2) | listed | gone),
    ):
        for path in [*day.rglob("*.csv"), *day.rglob("*.parquet")]:
            # in a removal: who lost consent belongs there, the erased only on day 2
            removal = set() if day == d2 else gone
            never_here = removal if ".removed." in path.name else banned
            hashed = {sha(e) for e in never_here} | {sha(google_email(e)) for e in never_here}
            if path.suffix == ".parquet":
                assert not set(pl.read_parquet(path)["email"].to_list()) & never_here, path
                continue
            text = path.read_text(encoding="utf-8").lower()
            leaked = [e for e in never_here if e in text] + [h for h in hashed if h in text]
            assert not leaked, (path, leaked[:3])
    day2_bodies = [b for b in hook.bodies.values() if b["as_of"] == str(day2)]
    sent = [r.get("email") for b in day2_bodies if b["op"] != "remove" for r in b["records"]]
    assert not set(sent) & gone and sent
    removals = {
        r.get("email"): r.get("action") for b in day2_bodies if b["op"] == "remove" for r in b["records"]
    }
    assert {e: removals.get(e) for e in gone & set(removals)} == dict.fromkeys(
        gone & set(removals), "unsubscribe"
    )

    # each webhook batch applied exactly once despite the injected failures
    assert hook.requests > len(hook.applied) > 0
    assert set(hook.applied.values()) == {1}
    assert (
        {str(day1), str(day2)}
        <= {b["as_of"] for b in hook.bodies.values()}
        <= {str(day1), str(day2), str(day3)}
    )

    # after day 3 no identifier of an erased person is left anywhere under RAPPORT_HOME
    assert not leftovers(home, found, drop_zone, erasure_list)
    gone_hashes = {sha(e) for e in gone} | {sha(google_email(e)) for e in gone}
    for path in settings.export_dir.rglob("*"):
        if path.suffix == ".csv":
            text = path.read_text(encoding="utf-8").lower()
            assert not [x for x in gone | gone_hashes if x in text], path
        elif path.suffix == ".parquet":
            frame = pl.read_parquet(path)
            assert not set(frame["email"].str.to_lowercase().to_list()) & gone, path
            assert not set(frame["customer_id"].to_list()) & erased_ids, path
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as con:
        # a removal row has no record (the ledger stores changes: pipelines/export/fold.py)
        ledger = con.execute("select customer_id, coalesce(record, '') from exports.members").fetchall()
    assert not {c for c, _ in ledger} & erased_ids
    assert not [r for _, r in ledger if any(e in r.lower() for e in gone)]


def _keys(erased: pl.DataFrame, dest: str) -> set[str]:
    emails = [e.strip().lower() for e in erased["email"] if e]
    return set(emails) if dest in ("crm", "klaviyo") else {sha(google_email(e)) for e in emails}
