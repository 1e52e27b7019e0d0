from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.extract.pg_server import postgres


@pytest.fixture(scope="package")
def pg_url() -> Iterator[str]:
    with postgres() as url:
        yield url
