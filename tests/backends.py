"""Real databases for the service tests: a SQLite file, and a fresh schema on the local PostgreSQL server
(dropped afterwards, so reruns start clean). Import `service_store` into a conftest to use it."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from ticket_router.store import open_store
from ticket_router.store.service import ServiceStore

POSTGRES_URL = os.environ.get("TICKET_ROUTER_TEST_POSTGRES_URL_BASE", "postgresql://postgres@127.0.0.1:5432/test")


@contextmanager
def fresh_schema(base_url: str = POSTGRES_URL) -> Iterator[str]:
    """A database URL whose connections all use a new, empty schema; the schema is dropped at the end."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
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
    schema = fresh_schema()
    try:
        url = schema.__enter__()
    except Exception as error:  # noqa: BLE001
        message = f"PostgreSQL at {POSTGRES_URL} is not reachable ({type(error).__name__})"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must start it (pg_isready -h 127.0.0.1 || service postgresql start)")
        pytest.skip(message)
    try:
        yield url
    finally:
        schema.__exit__(None, None, None)


def database_url(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'service.db'}"
    else:
        yield from postgres_schema()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


@pytest.fixture
def service_store(backend_url: str) -> Iterator[ServiceStore]:
    store = open_store(backend_url)
    yield store  # type: ignore[misc]
    store.close()
