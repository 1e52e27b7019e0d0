"""The gate's cached e-mail verdicts are scoped to the run that read them: two runs in one
process (threads, or one after the other) never see each other's verdicts."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import polars as pl

from expectations.suites.valid_email import VALIDATOR, is_valid_email
from pipelines.export.email_checks import DDL, checked_emails

ODD = "not-an-address"  # email_validator says no; a warehouse's cache may say otherwise


def _warehouse(path: Path, verdicts: dict[str, bool]) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute(DDL)
        for address, valid in verdicts.items():
            con.execute("insert into exports.email_checks values (?, ?, ?)", [address, VALIDATOR, valid])
    return path


def test_verdicts_hold_inside_the_gate_only(tmp_path: Path) -> None:
    warehouse = _warehouse(tmp_path / "a.duckdb", {ODD: True})
    with checked_emails(warehouse, [pl.DataFrame({"email": [ODD, "a@example.com"]})]) as checks:
        assert checks.cached == 1
        assert is_valid_email(ODD) is True  # the cached verdict decides inside the gate
        assert is_valid_email("a@example.com") is True
    assert is_valid_email(ODD) is False  # and nowhere after it


def test_two_runs_in_one_process_do_not_share_verdicts(tmp_path: Path) -> None:
    """Run A's warehouse caches ODD as valid, run B's as invalid; they overlap in time (A enters
    first, B enters, A leaves while B is still gating). Each sees its own verdict throughout."""
    a = _warehouse(tmp_path / "a.duckdb", {ODD: True})
    b = _warehouse(tmp_path / "b.duckdb", {ODD: False})
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, list[bool]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def run_a() -> None:
        try:
            with checked_emails(a, [pl.DataFrame({"email": [ODD]})]):
                a_in.set()
                assert b_in.wait(30)
                seen["a"].append(is_valid_email(ODD))
        except BaseException as error:
            errors.append(error)
        finally:
            a_in.set()
            a_out.set()

    def run_b() -> None:
        try:
            assert a_in.wait(30)
            with checked_emails(b, [pl.DataFrame({"email": [ODD]})]):
                b_in.set()
                seen["b"].append(is_valid_email(ODD))
                assert a_out.wait(30)
                seen["b"].append(is_valid_email(ODD))  # after A's gate ended
        except BaseException as error:
            errors.append(error)
        finally:
            b_in.set()

    threads = [threading.Thread(target=run_a), threading.Thread(target=run_b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert seen == {"a": [True], "b": [False, False]}
