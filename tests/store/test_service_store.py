"""The service's storage on both backends (SQLite file, PostgreSQL server): atomic first writes, the outbox,
dead letters and API keys."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from conftest import NOW, ticket
from sqlalchemy import Column, MetaData, String, Table, insert, text
from sqlalchemy.exc import IntegrityError
from test_store_helpers import decision

from ticket_router.outbox.message import build_message
from ticket_router.store.dynamodb_service import DuplicateDecision
from ticket_router.store import open_store
from ticket_router.store.schema import MIGRATIONS, UtcDateTime, schema_version
from ticket_router.store.service import ApiKeyRecord
from ticket_router.store.sql import make_engine


def item(ticket_id: str, with_message: bool = True):  # type: ignore[no-untyped-def]
    made = decision(ticket_id)
    return ticket("billing question", ticket_id=ticket_id), made, build_message(made, NOW) if with_message else None


def test_schema_is_at_the_latest_migration(service_store):
    if not hasattr(service_store, "engine"):
        pytest.skip("SQL migrations; DynamoDB has tables, made by the CDK app")
    with service_store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version ORDER BY version")).scalars().all()
    assert versions == [v for v, _ in MIGRATIONS] and versions[-1] >= 4


def test_save_new_decisions_writes_decision_and_message_once(service_store):
    assert service_store.save_new_decisions([item("A"), item("B", with_message=False)]) == [True, True]
    assert service_store.save_new_decisions([item("A")]) == [False]
    assert [d.decision_id for d in service_store.list_ticket_decisions("A")] == ["d-A"]
    assert [m.decision_id for m in service_store.list_outbox()] == ["d-A"]
    assert service_store.outbox_counts().pending == 1


def test_concurrent_first_writes_of_one_ticket_id_have_one_winner(service_store):
    results: list[bool] = []
    barrier = threading.Barrier(6)

    def write(n: int) -> None:
        made = decision("SAME", decision_id=f"d-{n}")
        barrier.wait()
        results.extend(service_store.save_new_decisions([(ticket("x", ticket_id="SAME"), made,
                                                          build_message(made, NOW))]))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results) == [False] * 5 + [True]
    assert len(service_store.list_ticket_decisions("SAME")) == 1
    assert service_store.outbox_counts().pending == 1


def test_decision_and_message_share_one_transaction(service_store):
    service_store.save_new_decisions([item("A")])
    clash = decision("NEW", decision_id="d-A")  # the decision insert fails on its primary key…
    with pytest.raises((IntegrityError, DuplicateDecision)):
        service_store.save_new_decisions([(ticket("x", ticket_id="NEW"), clash, build_message(clash, NOW))])
    assert service_store.get_ticket("NEW") is None  # …so neither the ticket nor a message was kept
    assert service_store.outbox_counts().pending == 1


def test_claims_are_exclusive_until_the_lease_expires(service_store):
    service_store.save_new_decisions([item("A"), item("B")])
    first = service_store.claim_due_messages(NOW, 10, lease_seconds=30)
    assert sorted(m.ticket_id for m in first) == ["A", "B"]
    assert service_store.claim_due_messages(NOW + timedelta(seconds=29), 10, 30) == []
    assert len(service_store.claim_due_messages(NOW + timedelta(seconds=31), 10, 30)) == 2


def test_failure_schedules_a_retry_and_dead_letter_moves_the_message(service_store):
    service_store.save_new_decisions([item("A")])
    (message,) = service_store.claim_due_messages(NOW, 10, 30)
    service_store.mark_failed(message.id, "HTTP 500", NOW + timedelta(seconds=2))
    assert service_store.claim_due_messages(NOW + timedelta(seconds=1), 10, 30) == []
    assert service_store.next_due_at() == NOW + timedelta(seconds=2)
    (again,) = service_store.claim_due_messages(NOW + timedelta(seconds=2), 10, 30)
    assert again.attempts == 1 and again.last_error == "HTTP 500"
    service_store.dead_letter(again.id, "HTTP 500", NOW + timedelta(seconds=3))
    assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 0, "dead": 1}
    (dead,) = service_store.list_dead_letters()
    assert (dead.decision_id, dead.attempts, dead.last_error) == ("d-A", 2, "HTTP 500")
    assert service_store.retry_dead_letters(None, NOW + timedelta(seconds=4)) == 1
    assert service_store.list_dead_letters() == []
    (back,) = service_store.claim_due_messages(NOW + timedelta(seconds=4), 10, 30)
    assert back.attempts == 0 and back.payload == message.payload
    service_store.mark_delivered([back.id], NOW + timedelta(seconds=5))
    assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 1, "dead": 0}
    assert service_store.next_due_at() is None


def test_reroute_write_adds_decision_and_message(service_store):
    service_store.save_new_decisions([item("A")])
    newer = decision("A", decision_id="d-A2")
    service_store.save_decisions_with_outbox([(ticket("billing question", ticket_id="A"), newer)],
                                             [build_message(newer, NOW)])
    assert [d.decision_id for d in service_store.list_ticket_decisions("A")] == ["d-A", "d-A2"] or \
        {d.decision_id for d in service_store.list_ticket_decisions("A")} == {"d-A", "d-A2"}
    assert service_store.outbox_counts().pending == 2


def test_api_keys_are_found_by_hash_and_revoked(service_store):
    record = ApiKeyRecord(key_id="k1", name="crm", key_hash="a" * 64, created_at=NOW)
    service_store.add_api_key(record)
    assert service_store.find_api_key("a" * 64) == record
    assert service_store.find_api_key("b" * 64) is None
    assert service_store.revoke_api_key("k1", NOW) and not service_store.revoke_api_key("k1", NOW)
    assert service_store.list_api_keys()[0].revoked_at == NOW
    assert service_store.ping()


def test_the_administrator_flag_is_stored_and_read_back(service_store):
    service_store.add_api_key(ApiKeyRecord(key_id="k1", name="crm", key_hash="a" * 64, created_at=NOW))
    admin = ApiKeyRecord(key_id="k2", name="ops lead", key_hash="c" * 64, created_at=NOW, admin=True)
    service_store.add_api_key(admin)
    assert service_store.find_api_key("c" * 64) == admin
    assert service_store.find_api_key("a" * 64).admin is False
    assert [(r.key_id, r.admin) for r in service_store.list_api_keys()] == [("k1", False), ("k2", True)]
    assert service_store.revoke_api_key("k2", NOW) and service_store.find_api_key("c" * 64).admin is True


# The api_keys table as migration 4 made it, before the administrator flag (migration 7).
_V6_API_KEYS = Table("api_keys", MetaData(), Column("key_id", String(32), primary_key=True),
                     Column("name", String(200), nullable=False, default=""),
                     Column("key_hash", String(64), nullable=False, unique=True),
                     Column("created_at", UtcDateTime, nullable=False), Column("revoked_at", UtcDateTime))


def test_upgrading_a_database_with_keys_keeps_them_standard_keys(backend_url):
    if backend_url.startswith("dynamodb://"):
        pytest.skip("SQL migrations; a DynamoDB item without the attribute is tested in test_dynamodb.py")
    engine = make_engine(backend_url)
    try:
        with engine.begin() as conn:  # a database at schema version 6, with a key in it
            schema_version.create(conn)
            for version, migrate in MIGRATIONS[:6]:
                _V6_API_KEYS.create(conn) if version == 4 else migrate(conn)
                conn.execute(schema_version.insert().values(version=version))
            conn.execute(insert(_V6_API_KEYS).values(key_id="old", name="crm", key_hash="a" * 64, created_at=NOW))
    finally:
        engine.dispose()
    store = open_store(backend_url)  # migrates to the latest version
    try:
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT max(version) FROM schema_version")).scalar() == MIGRATIONS[-1][0] >= 7
        assert store.find_api_key("a" * 64) == ApiKeyRecord(key_id="old", name="crm", key_hash="a" * 64,
                                                             created_at=NOW, admin=False)
        store.add_api_key(ApiKeyRecord(key_id="new", key_hash="b" * 64, created_at=NOW, admin=True))
        assert [(r.key_id, r.admin) for r in store.list_api_keys()] == [("new", True), ("old", False)]
        with store.engine.begin() as conn:  # a key inserted by SQL that names no flag gets the column's default
            conn.execute(text("INSERT INTO api_keys (key_id, name, key_hash, created_at) "
                              "VALUES ('raw', '', :h, :t)"), {"h": "d" * 64, "t": NOW.replace(tzinfo=None)})
        assert store.find_api_key("d" * 64).admin is False
    finally:
        store.close()


def test_a_ticket_id_twice_in_one_batch_is_stored_once_and_found_with_its_decision(service_store):
    again = decision("A", decision_id="d-A-again")
    written = service_store.save_new_decisions([item("A"), item("B"), (ticket("x", ticket_id="A"), again, None)])
    assert written == [True, True, False]
    assert service_store.save_new_decisions([item("B"), item("C")]) == [False, True]
    found = service_store.get_decisions(["A", "B", "C", "unknown"])
    assert {k: v.decision_id for k, v in found.items()} == {"A": "d-A", "B": "d-B", "C": "d-C"}
    assert service_store.get_decisions([]) == {}
    assert service_store.outbox_counts().pending == 3
