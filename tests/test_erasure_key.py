"""rapport_hmac is HMAC-SHA-256 under the erasure key on every engine: DuckDB's macro (export,
forget, dbt on DuckDB) and the Spark function (pipelines/spark_functions.py, run here without
Spark on an Arrow batch, as a Spark worker would) give Python's `hmac` for any text and key."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.erasure_key import erasure_key, install_hmac
from pipelines.settings import get_settings
from pipelines.spark_functions import _keys

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)


@pytest.fixture(autouse=True)
def _settings() -> Iterator[None]:
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# a key comes from an environment variable, which cannot hold a NUL (os.environ raises)
KEY = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


@given(key=st.text(KEY, min_size=1, max_size=90).map(str.strip).filter(bool),
       values=st.lists(st.one_of(st.none(), TEXT), max_size=8))  # fmt: skip
def test_every_engine_computes_the_same_keyed_hash(key: str, values: list[str | None]) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RAPPORT_ERASURE_KEY", key)
        get_settings.cache_clear()
        want = [
            None if v is None else hmac.new(key.encode(), v.encode(), hashlib.sha256).hexdigest()
            for v in values
        ]
        con = duckdb.connect()
        install_hmac(con)
        got = [
            d for (d,) in con.execute("select rapport_hmac(unnest($v::varchar[]))", {"v": values}).fetchall()
        ]
        assert got == want
        assert _keys("rapport_hmac", pa.array(values, pa.string())).to_pylist() == want


def test_without_a_configured_key_one_key_file_is_made_once_and_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RAPPORT_ERASURE_KEY", raising=False)
    monkeypatch.setenv("RAPPORT_HOME", str(tmp_path))
    get_settings.cache_clear()
    first = erasure_key()
    path = tmp_path / "secrets" / "erasure.key"
    assert path.stat().st_mode & 0o777 == 0o600 and len(first) == 64
    assert erasure_key() == first
