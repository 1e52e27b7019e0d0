"""int_phone_numbers: E.164 per distinct (phone, country), reused by the next build."""

from __future__ import annotations

from pathlib import Path

import phonenumbers
from rapport_dbt import Run, dbt, write_raw

from pipelines.warehouse import connect

PHONES = [  # hand-written shapes: national Indian, +91 with spaces, 00 prefix, UK national, junk
    ("C1", "098765 43210", "IN", "+919876543210"),
    ("C2", "+91 98765-43211", None, "+919876543211"),
    ("C3", "020 7946 0958", "GB", "+442079460958"),
    ("C4", "12", "IN", None),
    ("C5", "098765 43210", "IN", "+919876543210"),  # a second person with the first one's number
]


def _customers() -> list[dict[str, object]]:
    return [
        {"customer_id": cid, "email": f"{cid.lower()}@example.com", "phone": phone, "country": country,
         "signed_up_at": "2023-01-01 10:00:00", "_source_file": f"customers/date=2023-01-01/{cid}.csv"}
        for cid, phone, country, _ in PHONES
    ]  # fmt: skip


def _build(tmp: Path, warehouse: Path) -> None:
    proc = dbt(tmp, warehouse, "run", "--select", "+int_customer_phones")
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-4000:]


def test_phones_are_parsed_once_and_the_next_build_reuses_them(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    write_raw(warehouse, {"customers": _customers()})
    _build(tmp_path, warehouse)
    run = Run(warehouse, 0, "")
    expected = [(cid, e164) for cid, _, _, e164 in PHONES]
    assert run.query("select * from intermediate.int_customer_phones order by 1") == expected
    version = phonenumbers.__version__
    assert run.query(
        "select count(*), min(parsed_with), max(parsed_with) from intermediate.int_phone_numbers"
    ) == [(4, version, version)]
    with connect(warehouse) as con:
        # a marked answer shows reuse; another version's answer is parsed again; a pair no
        # person has any more (an erased number) must not survive the next build
        con.execute("update intermediate.int_phone_numbers set phone_e164 = '+reused' where country = 'GB'")
        con.execute(
            "update intermediate.int_phone_numbers set phone_e164 = '+stale', parsed_with = '0' "
            "where phone = '+91 98765-43211'"
        )
        con.execute(
            "insert into intermediate.int_phone_numbers "
            "values ('+44 7700 900123', null, '+447700900123', $v)",
            {"v": version},
        )
    _build(tmp_path, warehouse)
    got = dict(run.query("select customer_id, phone_e164 from intermediate.int_customer_phones"))
    assert got["C3"] == "+reused"
    assert got["C2"] == "+919876543211"
    assert run.query(
        "select count(*) from intermediate.int_phone_numbers where phone = '+44 7700 900123'"
    ) == [(0,)]
