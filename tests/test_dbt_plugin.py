"""The dbt plugin (profiles.yml): every dbt cursor calls the identity, HMAC and phone functions, but
they are defined once per database, not on each cursor (dbt-duckdb opens one per node), and the
plugin's import stays light (each dbt command is a process of its own)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.dbt_plugin import Plugin
from pipelines.erasure_key import install_hmac
from pipelines.identity import MACROS as IDENTITY
from pipelines.identity import install
from pipelines.phones import VERSION
from pipelines.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
MACROS = (
    "select rapport_email_key(' A.b+x@GoogleMail.com '), rapport_phone_key('0044 7700 900123'),"
    " rapport_id_key(' c1 '), rapport_hmac('ann@example.com')"
)
CALLS = MACROS + ", rapport_phone_rules_version(), rapport_phone_e164('07700 900123', 'GB')"


@pytest.fixture(autouse=True)
def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))  # the erasure key file
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _rapport_functions(cursor: duckdb.DuckDBPyConnection, database: str) -> int:
    sql = "select count(*) from duckdb_functions() where function_name like 'rapport_%' and database_name = ?"
    row = cursor.execute(sql, [database]).fetchone()
    assert row is not None
    return int(row[0])


@pytest.mark.parametrize("read_only", [False, True])
def test_every_cursor_calls_the_functions_defined_once(tmp_path: Path, read_only: bool) -> None:
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    con = duckdb.connect(str(path), read_only=read_only)  # read-only: dbt docs generate
    plugin = Plugin("pipelines.dbt_plugin", {})
    plugin.configure_connection(con)
    cursors = [con.cursor() for _ in range(3)]  # dbt-duckdb: a cursor per node
    for cursor in cursors:
        plugin.configure_cursor(cursor)
    reference = duckdb.connect()  # the same macros as temp macros, as the export and forget define them
    install(reference)
    install_hmac(reference)
    expected = reference.execute(MACROS).fetchone()
    assert expected is not None
    answers = [c.execute(CALLS).fetchone() for c in cursors]
    assert answers == [(*expected, VERSION, "+447700900123")] * 3
    # no cursor defined a macro of its own (before: all of them on every cursor, ~10-30 ms a cursor)
    assert [_rapport_functions(c, "temp") for c in cursors] == [0, 0, 0]
    assert _rapport_functions(cursors[0], "rapport_functions") == len(IDENTITY) + 2  # HMAC, rules version
    con.close()
    # nothing was written to the warehouse file
    with duckdb.connect(str(path), read_only=True) as after:
        assert _rapport_functions(after, "warehouse") == 0


def test_a_dbt_process_imports_neither_polars_nor_pyarrow() -> None:
    code = (
        "import sys; import pipelines.dbt_plugin; "
        "print(sorted(m for m in ('polars', 'pyarrow', 'pipelines.phones') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[0] == "[]"  # ~0.2-0.3 s of imports in each of the day's dbt processes
