"""Builders shared by the tests: real SQLite files, the shipped model, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ticket_router.domain import Ticket
from ticket_router.model.base import Classifier
from ticket_router.model.registry import load_classifier
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store import Store, open_store
from ticket_router.store.seed import seed_demo

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="session")
def classifier() -> Classifier:
    return load_classifier("tfidf-lr-v1")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'test.db'}")
    yield opened
    opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    seed_demo(store, NOW)
    return store


@pytest.fixture
def router(classifier: Classifier, seeded_store: Store) -> Router:
    return Router(classifier, seeded_store, RoutingPolicy(), clock=lambda: NOW)


def ticket(text: str, **fields: object) -> Ticket:
    return Ticket(ticket_id=str(fields.pop("ticket_id", "T-1")), description=text, created_at=NOW, **fields)  # type: ignore[arg-type]
