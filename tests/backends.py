"""Real databases for the service tests: a SQLite file, and a fresh schema on the local PostgreSQL server
(dropped afterwards, so reruns start clean). Import `service_store` into a conftest to use it.

The store tests (tests/store/) also run on DynamoDB, faked in-process by moto (`STORE_BACKENDS`)."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from unittest import mock

import pytest

from ticket_router.store import open_store
from ticket_router.store.service import ServiceStore

POSTGRES_URL = os.environ.get("TICKET_ROUTER_TEST_POSTGRES_URL_BASE", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_schema(base_url: str = POSTGRES_URL) -> Iterator[str]:
    """A database URL whose connections all use a new, empty schema; the schema is dropped at the end."""
    from sqlalchemy import text

    from ticket_router.store.sql import make_engine

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = make_engine(base_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield f"{base_url}?options=-csearch_path%3D{schema}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    finally:
        admin.dispose()


def postgres_schema() -> Iterator[str]:
    with ExitStack() as stack:
        try:
            url = stack.enter_context(fresh_schema())
        except Exception as error:  # noqa: BLE001 - no server: skip the PostgreSQL half (fail it in CI)
            message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({type(error).__name__})"
            if os.environ.get("CI"):
                pytest.fail(message + "; CI must start it (pg_isready -h 127.0.0.1 || service postgresql start)")
            pytest.skip(message)
        yield url


@contextmanager
def dynamodb_url() -> Iterator[str]:
    """A `dynamodb://` URL whose tables exist in moto's in-process DynamoDB for the duration.

    moto answers one request at a time here, as a server would: in-process it is not thread-safe (a transaction
    deep-copies every table while another thread may be writing to one), which DynamoDB itself is."""
    from moto import mock_aws
    from moto.core.botocore_stubber import BotocoreStubber

    lock = threading.RLock()
    answer = BotocoreStubber.__call__

    def one_at_a_time(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with lock:
            return answer(self, *args, **kwargs)

    with mock.patch.object(BotocoreStubber, "__call__", one_at_a_time), mock_aws():
        yield f"dynamodb://t-{uuid.uuid4().hex[:8]}?region=us-east-1&create=true"


def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'service.db'}"
    elif kind == "dynamodb":
        with dynamodb_url() as url:
            yield url
    else:
        yield from postgres_schema()


STORE_BACKENDS = ["sqlite", "postgresql", "dynamodb"]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@pytest.fixture
def service_store(backend_url: str) -> Iterator[ServiceStore]:
    store = open_store(backend_url)
    yield store  # type: ignore[misc]
    store.close()
