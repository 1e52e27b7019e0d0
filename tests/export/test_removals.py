"""`.removed` files say "remove" in each tool's own terms; nobody who withdrew consent is
ever written with a subscribed status."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from tests.export.factories import export, person, write_segments

DAY2 = date(2024, 3, 2)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_each_destination_removes_in_its_own_terms(tmp_path: Path) -> None:
    people = [person(i) for i in range(6)]
    write_segments(tmp_path / "w.duckdb", people, people)
    first = export(tmp_path)
    assert first.day_dir is not None
    left, withdrew, suppressed = people[0], people[1], people[2]
    day2 = [person(1, marketable=False), *people[2:]]  # c0000 left champions, still consents
    write_segments(tmp_path / "w.duckdb", day2, day2[1:],
                   suppressions=[{"email": suppressed["email"].upper(), "reason": "complaint"}])  # fmt: skip
    report = export(tmp_path, as_of=DAY2)
    assert report.day_dir is not None
    day = report.day_dir
    action = {left["email"]: "remove", withdrew["email"]: "unsubscribe", suppressed["email"]: "unsubscribe"}

    crm = read_csv(day / "crm" / "champions.removed.csv")
    assert {r["email"]: r["action"] for r in crm} == action

    klaviyo = read_csv(day / "klaviyo" / "champions.removed.csv")
    consent = {"remove": "", "unsubscribe": "UNSUBSCRIBED"}
    assert {r["Email"]: r["Email Marketing Consent"] for r in klaviyo} == {
        e: consent[a] for e, a in action.items()
    }
    mailchimp = read_csv(day / "mailchimp" / "champions.removed.csv")
    status = {"remove": "archived", "unsubscribe": "unsubscribed"}
    assert {r["Email Address"]: r["Status"] for r in mailchimp} == {e: status[a] for e, a in action.items()}
    hubspot = read_csv(day / "hubspot" / "champions.removed.csv")
    assert {r["Email"]: (r["rapport_action"], r["Marketing contact status"]) for r in hubspot} == {
        e: (a, "Non-marketing contact" if a == "unsubscribe" else "") for e, a in action.items()
    }
    # ad platforms: the remove upload takes exactly the add layout and hashes
    for platform in ("google_ads", "meta_ads"):
        added = (first.day_dir / platform / "champions.csv").read_text(encoding="utf-8").splitlines()
        removed = (day / platform / "champions.removed.csv").read_text(encoding="utf-8").splitlines()
        assert removed[0] == added[0]
        assert set(removed[1:]) == set(added[1:4]), platform  # c0000..c0002 by customer id order
    # never a subscribed status in a removal, in any file
    for path in day.rglob("*.removed.csv"):
        assert "SUBSCRIBED" not in path.read_text(encoding="utf-8").replace("UNSUBSCRIBED", ""), path
    # every segment of a destination says the same about the same person
    assert {r["email"]: r["action"] for r in read_csv(day / "crm" / "win_back.removed.csv")} == action
