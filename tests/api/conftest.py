"""API fixtures: an app per test on a real store (SQLite or PostgreSQL), the shipped model, a test key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from apitest import AUTH, make_settings
from backends import backend_url, service_store  # noqa: F401 - fixtures
from fastapi.testclient import TestClient

from ticket_router.api import create_app
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router


@pytest.fixture
def app_factory(service_store, classifier):  # type: ignore[no-untyped-def]
    def build(**fields: object):  # type: ignore[no-untyped-def]
        router = Router(classifier, service_store, RoutingPolicy())
        return create_app(make_settings(**fields), store=service_store, router=router)

    return build


@pytest.fixture
def client(app_factory) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app_factory(), headers=AUTH) as test_client:
        yield test_client
