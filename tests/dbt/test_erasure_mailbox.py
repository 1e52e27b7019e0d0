"""An erased person's other account in the same mailbox goes with them (Google dots, +tag).

Rita (R1) asks to be erased. Sam (S1, sam@gmail.com) shares her phone, so he is erased with her
(one hop, tests/dbt/test_erasure_one_hop.py). Sam also signed up as s.am+shop@gmail.com (S2, no
phone): Gmail delivers both to one mailbox, so by the identity rule (pipelines/identity.py, the
email key) S2 is Sam. People are matched by the email as loaded, so on main S2 was a person of
its own, not reached by the hop, and kept Sam's name, mailbox and consent (14 accounts on the
1M shop's first day, DECISIONLOG i22privacy). Kiran (K1) shares nothing and stays.
"""

from __future__ import annotations

import pytest
from rapport_dbt import built, case_rows, customer_row, erasure_case

from pipelines.settings import get_settings
from pipelines.warehouse import connect

DAY1 = "2024-07-01"
NO_TESTS = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
CUSTOMERS = [
    customer_row("R1", "rita@example.com", "+91 90000 00001"),
    customer_row("S1", "sam@gmail.com", "+919000000001"),  # Rita's phone
    customer_row("S2", "S.Am+shop@Gmail.com", None),  # Sam's mailbox, another account
    customer_row("K1", "kiran@example.com", "+91 90000 00009"),
]
ROWS = case_rows(CUSTOMERS, "R1")


@pytest.fixture(scope="module")
def erased(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    home = tmp_path_factory.mktemp("erasure_mailbox")
    got: dict[str, object] = {}
    with erasure_case(home, "test erasure key for one mailbox", ROWS) as warehouse:
        day = built(home, warehouse, DAY1, *NO_TESTS)
        listed = "select source_customer_id from intermediate.int_customers_erased"
        got["erased"] = {s for (s,) in day.query(listed)}
        got["people"] = day.query("select customer_id from marts.customers order by 1")
        from pipelines.forget import forget_erased

        forget_erased(get_settings(), "day1")
        with connect(warehouse) as con:
            got["raw"] = con.execute("select customer_id, email from raw.customers order by 1").fetchall()
    return got


def test_the_hop_persons_account_in_the_same_mailbox_is_erased(erased: dict) -> None:
    assert erased["erased"] == {"R1", "S1", "S2"}  # on main: {"R1", "S1"}
    assert erased["people"] == [("K1",)]


def test_forget_leaves_only_the_person_who_shares_nothing(erased: dict) -> None:
    assert erased["raw"] == [("K1", "kiran@example.com")]
