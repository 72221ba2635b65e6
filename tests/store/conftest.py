from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import STORE_BACKENDS, database_url, service_store  # noqa: F401 - fixtures: every backend


@pytest.fixture(params=STORE_BACKENDS)
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)
