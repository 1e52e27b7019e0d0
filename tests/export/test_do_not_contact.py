"""Do-not-contact lists as people and other systems write them, through the real loader
and the export's read: nobody listed is ever exported, and an unreadable list blocks the
export with one line naming the file, line and value (loading still completes)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.export.blocked import DoNotContactUnreadable
from pipelines.export.plan import audiences
from pipelines.export.read import read_snapshot
from pipelines.load import commit_staged, stage_landing
from tests.export.factories import AS_OF, export, files_under, person, write_segments

PEOPLE = [
    person(0, email="yuiwatanabe@gmail.com"),
    person(1, email="anne-marie.obrien@example.in"),
    person(2, phone_e164="+919876543210"),
    *(person(i) for i in range(3, 8)),
]
# every Unicode whitespace a spreadsheet or CRM export leaves around a value
SPACE = st.sampled_from(["", " ", "\t", "\u00a0", "\u2003", "\u200b", "\ufeff", "  \t"])
DATES = st.sampled_from(
    ["2024-02-01 10:00:00", "02/07/2026 10:00", "2099-12-31", "yesterday", "", "31.12.2023", "1700000000"]
)


def _variant(i: int, how: str, case: str) -> tuple[str, str]:
    """(column, value) naming person i."""
    p = PEOPLE[i]
    if how == "id":
        return "customer_id", p["customer_id"]
    if how == "source_id":
        return "customer_id", f"src-{p['customer_id']}"
    if how == "phone":
        return "phone", {"+919876543210": "+91 98765-43210", None: ""}.get(p["phone_e164"], p["phone_e164"])
    if how == "national_phone":  # lists carry no country: national digits, a trunk 0, or no "+"
        written = {"lower": "98765 43210", "upper": "098765-43210", "as_is": "919876543210"}[case]
        return "phone", written if p["phone_e164"] == "+919876543210" else ""
    email = p["email"]
    if how == "gmail_variant" and email.endswith("@gmail.com"):
        email = "yui.watanabe+newsletter@googlemail.com"
    return "email", {"lower": email.lower(), "upper": email.upper(), "as_is": email}[case]


@st.composite
def dnc_file(draw: st.DrawFn) -> tuple[str, set[str], bool]:
    """(file text, customer ids it names, whether the loader can read it as a list)."""
    delimiter = draw(st.sampled_from([",", ",", ";", "\t", "|"]))
    email_header = draw(st.sampled_from(["email", "Email", " EMAIL ", "E-mail", "Email Address"]))
    listed = draw(st.lists(st.integers(0, len(PEOPLE) - 1), min_size=1, max_size=4, unique=True))
    rows, by_email = [], False
    for i in listed:
        how = draw(st.sampled_from(["email", "id", "source_id", "phone", "national_phone", "gmail_variant"]))
        column, value = _variant(i, how, draw(st.sampled_from(["lower", "upper", "as_is"])))
        if column == "phone" and not value:
            column, value = "customer_id", PEOPLE[i]["customer_id"]
        by_email |= column == "email"
        cells = {"email": "", "customer_id": "", "phone": "", column: draw(SPACE) + value + draw(SPACE)}
        rows.append([cells["email"], cells["customer_id"], cells["phone"], "complaint", draw(DATES)])
    header = [email_header, "customer_id", "phone", "reason", "suppressed_at"]
    line_end = draw(st.sampled_from(["\n", "\r\n"]))
    text = line_end.join(delimiter.join(r) for r in [header, *rows]) + line_end
    # another delimiter leaves one column named after the whole header: no identifier column;
    # an unknown email header leaves the rows that named people by email naming nobody
    blocks = delimiter != "," or (email_header.strip().lower() != "email" and by_email)
    return text, {PEOPLE[i]["customer_id"] for i in listed}, blocks


def _warehouse(root: Path, champions: list[dict], win_back: list[dict]) -> None:
    """The factory's segments and marts; the raw tables are the loader's own."""
    write_segments(root / "w.duckdb", champions, win_back)
    with duckdb.connect(str(root / "w.duckdb")) as con:
        con.execute("drop schema raw cascade")


def _load(root: Path, text: str, as_of: date = AS_OF) -> None:
    landing = root / "landing"
    path = landing / "suppressions" / f"date={as_of}" / "list.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    stage_landing(landing, root / "w.duckdb", as_of, "run-1")
    commit_staged(root / "w.duckdb", "run-1")


def _exported_ids(root: Path) -> set[str]:
    snapshot = read_snapshot(root / "w.duckdb", ["champions", "win_back"], AS_OF)
    return {c for frame in audiences(snapshot).values() for c in frame["customer_id"]}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=dnc_file())
def test_nobody_listed_is_exported_and_an_unreadable_list_blocks(
    tmp_path_factory: pytest.TempPathFactory, case: tuple[str, set[str], bool]
) -> None:
    text, listed, blocks = case
    root = tmp_path_factory.mktemp("dnc")
    _warehouse(root, PEOPLE, [])
    _load(root, text)
    if blocks:
        with pytest.raises(DoNotContactUnreadable, match=r"suppressions/date=.*/list\.csv line \d+ value"):
            _exported_ids(root)
        return
    kept = _exported_ids(root)
    assert not kept & listed
    assert kept == {p["customer_id"] for p in PEOPLE} - listed


def test_a_number_listed_nationally_blocks_its_person_in_any_country(tmp_path: Path) -> None:
    """Indian do-not-call lists hold ten national digits; the list has no country column."""
    _warehouse(tmp_path, PEOPLE, [])
    _load(tmp_path, "phone,reason\n98765 43210,dnd\n07700 900123,dnd\n")
    assert _exported_ids(tmp_path) == {p["customer_id"] for p in PEOPLE} - {PEOPLE[2]["customer_id"]}


def test_a_row_naming_nobody_blocks_the_export_with_file_line_and_value(tmp_path: Path) -> None:
    _warehouse(tmp_path, PEOPLE, PEOPLE[:2])
    _load(tmp_path, "email,customer_id,reason\nperson0003@example.com,,bounce\n\u00a0,\t,complaint\n")
    with pytest.raises(DoNotContactUnreadable) as refused:
        export(tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert "list.csv line 3 value '\\xa0|\\t|': no identifier" in message
    assert not (tmp_path / "exports").exists() or not files_under(tmp_path / "exports")


def test_the_block_clears_when_the_file_is_replaced_by_a_readable_one(tmp_path: Path) -> None:
    _warehouse(tmp_path, PEOPLE, [])
    _load(tmp_path, "email;reason\nperson0003@example.com;bounce\n")
    with pytest.raises(DoNotContactUnreadable, match="no identifier column"):
        export(tmp_path)
    _load(tmp_path, "email,reason\nperson0003@example.com,bounce\n")
    report = export(tmp_path)
    assert report.delivery("crm", "champions").total == len(PEOPLE) - 1


def test_an_opt_out_on_one_gmail_variant_blocks_the_other_account(tmp_path: Path) -> None:
    opted_out = person(9, marketable=False, email="Yui.Watanabe+shop@gmail.com", unsubscribed_at="2024-01-05")
    write_segments(tmp_path / "w.duckdb", PEOPLE, [opted_out])
    assert "c0000" not in _exported_ids(tmp_path)


def test_an_unreadable_consent_or_opt_out_reads_as_withdrawn_never_lost(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    (landing / "customers").mkdir(parents=True)
    (landing / "customers" / "c.csv").write_text(
        "customer_id,email,marketing_consent,unsubscribed_at\n"
        "k1,a@example.com,true,\n"  # consenting
        "k2,b@example.com,ja,\n"  # unreadable flag: no
        "k3,c@example.com,true,gestern 10 Uhr\n"  # unreadable opt-out date: opted out on landing
        "k4,d@example.com,true,2099-01-01 00:00:00\n"  # future-dated opt-out: still opted out
        "k5,e@example.com,true,0001-01-01\n",  # a zero date is still an opt-out
        encoding="utf-8",
    )
    report = stage_landing(landing, tmp_path / "w.duckdb", AS_OF, "run-1")
    commit_staged(tmp_path / "w.duckdb", "run-1")
    (customers,) = [e for e in report.entities if e.entity == "customers"]
    assert (customers.rows_in, customers.rows_loaded, customers.rows_quarantined) == (5, 5, 0)
    with duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True) as con:
        rows = con.execute(
            "select customer_id, marketing_consent, unsubscribed_at::varchar from raw.customers order by 1"
        ).fetchall()
    assert rows == [
        ("k1", True, None),
        ("k2", False, None),
        ("k3", True, "2024-03-01 00:00:00"),
        ("k4", True, "2099-01-01 00:00:00"),
        ("k5", True, "2024-03-01 00:00:00"),
    ]


@pytest.mark.parametrize(
    "row",
    [
        "c0003,person0003@example.com,2090-01-01,false,",  # future birthday, consent withdrawn
        "c0004,,31/02/1990,true,2024-02-01 10:00:00",  # unreadable birthday, opted out
        "c0005,x@example.com,,true,\nc0005,person0005@example.com,,false,",  # duplicate key
    ],
)
def test_a_row_quarantined_for_another_reason_keeps_its_opt_out(tmp_path: Path, row: str) -> None:
    _warehouse(tmp_path, PEOPLE, [])
    landing = tmp_path / "landing"
    (landing / "customers").mkdir(parents=True)
    (landing / "customers" / "c.csv").write_text(
        "customer_id,email,birthday,marketing_consent,unsubscribed_at\n" + row + "\n", encoding="utf-8"
    )
    report = stage_landing(landing, tmp_path / "w.duckdb", AS_OF, "run-1")
    commit_staged(tmp_path / "w.duckdb", "run-1")
    (customers,) = [e for e in report.entities if e.entity == "customers"]
    assert customers.rows_quarantined >= 1
    assert customers.rows_in == customers.rows_loaded + customers.rows_quarantined
    opted_out = row.split(",")[0]
    kept = _exported_ids(tmp_path)
    assert opted_out not in kept
    assert kept == {p["customer_id"] for p in PEOPLE} - {opted_out}
