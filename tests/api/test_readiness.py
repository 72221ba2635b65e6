"""`/readyz` says whether decisions can be stored, and the log names why not (issue 11, item 4): a real SQLite file
opened read-only, a real SQLite database that is full, a PostgreSQL URL on a closed port."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from apitest import AUTH, make_settings
from backends import fresh_schema
from fastapi.testclient import TestClient
from servers import free_port
from sqlalchemy import event

from ticket_router.api import create_app
from ticket_router.router import Router
from ticket_router.store import open_store
from ticket_router.store.faults import database_cause
from ticket_router.store.sql import SqlStore, make_engine

SECRET = "my flat at 12 Elm Street has had no broadband since Monday"


@contextmanager
def serving(store: SqlStore, classifier) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    app = create_app(make_settings(), store=store, router=Router(classifier, store))
    with TestClient(app, headers=AUTH) as client:
        yield client
    store.close()


def _made(path: Path) -> None:
    open_store(f"sqlite:///{path}").close()  # the schema, then closed


def _readiness(caplog) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.getMessage() == "readiness: decisions cannot be stored"]


def test_a_read_only_database_is_not_ready_and_the_log_says_read_only(tmp_path, classifier, caplog):
    path = tmp_path / "ro.db"
    _made(path)
    with serving(SqlStore(make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")), classifier) as client:
        assert client.get("/v1/stats").status_code == 200  # reads still work: a read probe would say ready
        with caplog.at_level(logging.INFO):
            ready = client.get("/readyz")
            posted = client.post("/v1/tickets", json={"ticket_id": "RO-1", "description": SECRET})
    assert ready.status_code == 503 and ready.json()["checks"]["database"] == "unavailable (read-only)"
    assert posted.status_code == 503
    assert [r.cause for r in _readiness(caplog)] == ["read-only"]  # type: ignore[attr-defined]
    failed = [r for r in caplog.records if r.getMessage() == "request failed"]
    assert failed and failed[0].cause == "read-only"  # type: ignore[attr-defined]
    assert "Elm Street" not in caplog.text and "broadband" not in caplog.text


def test_postgresql_on_a_closed_port_is_not_ready_and_the_log_says_connection_refused(classifier, caplog):
    with fresh_schema() as url:
        store = SqlStore(make_engine(url))  # opened (and migrated) while the server answered…
    store.engine.dispose()
    # …then its server is gone: the same store, now on a PostgreSQL URL whose port nothing listens on.
    store.engine = make_engine(f"postgresql://postgres@127.0.0.1:{free_port()}/test?connect_timeout=5")
    with serving(store, classifier) as client, caplog.at_level(logging.INFO):
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["database"] == "unavailable (connection refused)"
    assert [r.cause for r in _readiness(caplog)] == ["connection refused"]  # type: ignore[attr-defined]


def test_a_full_database_fails_writes_with_the_cause_named(tmp_path, classifier, caplog):
    path = tmp_path / "full.db"
    _made(path)
    engine = make_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _cap(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # SQLite's own limit on the file's size, at what it holds now: SQLITE_FULL, as on a full disk.
        pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    with serving(SqlStore(engine), classifier) as client, caplog.at_level(logging.INFO):
        posted = client.post("/v1/tickets", json={"ticket_id": "FULL-1", "description": SECRET * 200})
    assert posted.status_code == 503 and posted.json()["detail"] == "database unavailable"
    failed = [r for r in caplog.records if r.getMessage() == "request failed"]
    assert failed and failed[0].cause == "disk full"  # type: ignore[attr-defined]
    assert "Elm Street" not in caplog.text


def test_a_writable_database_is_ready(tmp_path, classifier):
    path = tmp_path / "ok.db"
    _made(path)
    with serving(SqlStore(make_engine(f"sqlite:///{path}")), classifier) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["database"] == "ok"


@pytest.mark.parametrize("message, cause", [
    ("(sqlite3.OperationalError) database or disk is full [SQL: INSERT ... 'my secret text']", "disk full"),
    ("could not extend file \"base/1/2\": No space left on device", "disk full"),
    ("attempt to write a readonly database", "read-only"),
    ("connection failed: Connection refused\n\tIs the server running", "connection refused"),
])
def test_the_cause_is_a_fixed_label_never_the_message(message, cause):
    label = database_cause(RuntimeError(message))
    assert label == cause and "secret" not in label
