"""Delivery to the ticketing system through a real local HTTP receiver: headers, retries with backoff,
timeouts, refused connections, dead letters, and messages that survive a restart. Both backends."""

from __future__ import annotations

from datetime import timedelta

import pytest
from apitest import AUTH, make_settings
from backends import backend_url, service_store  # noqa: F401 - fixtures
from conftest import NOW
from fastapi.testclient import TestClient
from servers import free_port, receiver, wait_until
from test_store_helpers import decision, ticket_for

from ticket_router.api import create_app
from ticket_router.outbox import DeliveryWorker, HttpJsonAdapter
from ticket_router.outbox.message import build_message
from ticket_router.policy import RoutingPolicy
from ticket_router.router import Router
from ticket_router.store import open_store

TOKEN = "ticketing-token-0123456789"


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self):  # type: ignore[no-untyped-def]
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def enqueue(store, *ticket_ids: str) -> list[str]:  # type: ignore[no-untyped-def]
    items = []
    for ticket_id in ticket_ids:
        made = decision(ticket_id)
        items.append((ticket_for(ticket_id), made, build_message(made, NOW)))
    store.save_new_decisions(items)
    return [d.decision_id for _, d, _ in items]


def worker_for(store, url: str, clock: Clock, timeout: float = 2.0) -> DeliveryWorker:  # type: ignore[no-untyped-def]
    return DeliveryWorker(store, HttpJsonAdapter(url, TOKEN, timeout=timeout), clock=clock)


def test_delivery_sends_json_with_token_and_idempotency_key(service_store):
    (decision_id,) = enqueue(service_store, "T-1")
    with receiver() as endpoint:
        report = worker_for(service_store, endpoint.url, Clock()).deliver_due()
    assert report.delivered == 1
    (got,) = endpoint.requests
    assert got.headers["idempotency-key"] == decision_id
    assert got.headers["authorization"] == f"Bearer {TOKEN}"
    assert got.headers["content-type"] == "application/json"
    assert {k: got.body[k] for k in ("ticket_id", "team", "priority", "category")} == {
        "ticket_id": "T-1", "team": "Billing Support", "priority": "P2", "category": "Billing Dispute"}
    assert {"confidence", "reasoning", "needs_review", "decision_id"} <= got.body.keys()
    assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 1, "dead": 0}


def test_500s_are_retried_on_the_backoff_schedule_then_delivered(service_store):
    enqueue(service_store, "T-1")
    clock = Clock()
    with receiver("fail") as endpoint:
        worker = worker_for(service_store, endpoint.url, clock)
        assert worker.deliver_due().failed == 1
        assert service_store.list_outbox()[0].next_attempt_at == NOW + timedelta(seconds=1)
        clock.advance(0.5)
        assert worker.deliver_due().attempted == 0  # not due yet
        clock.advance(0.5)
        assert worker.deliver_due().failed == 1
        assert service_store.list_outbox()[0].next_attempt_at == clock.now + timedelta(seconds=2)
        endpoint.mode = "ok"
        clock.advance(2)
        assert worker.deliver_due().delivered == 1
    assert [r.headers["x-outcome"] for r in endpoint.requests] == ["fail", "fail", "ok"]
    assert len({r.headers["idempotency-key"] for r in endpoint.requests}) == 1
    assert service_store.outbox_counts().delivered == 1


def test_permanent_failure_is_dead_lettered_after_five_retries_and_can_be_resent(service_store):
    (decision_id,) = enqueue(service_store, "T-1")
    clock = Clock()
    waits = []
    with receiver("fail") as endpoint:
        worker = worker_for(service_store, endpoint.url, clock)
        for _ in range(10):
            report = worker.deliver_due()
            if report.dead:
                break
            wait = (service_store.list_outbox()[0].next_attempt_at - clock.now).total_seconds()
            waits.append(wait)
            clock.advance(wait - 0.01)
            assert worker.deliver_due().attempted == 0  # not a moment early
            clock.advance(0.01)
        assert waits == [1, 2, 4, 8, 16]
        assert len(endpoint.requests) == 6  # the first send and 5 retries, all with the same idempotency key
        assert {r.headers["idempotency-key"] for r in endpoint.requests} == {decision_id}
        (dead,) = service_store.list_dead_letters()
        assert (dead.decision_id, dead.attempts, dead.last_error) == (decision_id, 6, "HTTP 500")
        assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 0, "dead": 1}
        assert service_store.retry_dead_letters([decision_id], clock.now) == 1
        endpoint.mode = "ok"
        assert worker.deliver_due().delivered == 1
    assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 1, "dead": 0}


def test_timeouts_and_refused_connections_are_retried(service_store):
    enqueue(service_store, "T-1", "T-2")
    clock = Clock()
    port = free_port()  # nothing listens here yet: connection refused
    worker = worker_for(service_store, f"http://127.0.0.1:{port}/tickets/decisions", clock, timeout=0.5)
    report = worker.deliver_due()
    assert report.failed == 2 and all(e.startswith("connection failed") for e in report.errors)
    with receiver("hang", hang_seconds=2.0, port=port) as endpoint:
        clock.advance(1)
        report = worker.deliver_due()
        assert report.failed == 2 and report.errors == ["timed out", "timed out"]
        endpoint.mode = "ok"
        clock.advance(2)
        assert worker.deliver_due().delivered == 2
    worker.stop()
    assert service_store.outbox_counts().delivered == 2


def test_pending_messages_survive_a_restart_and_are_delivered_by_the_server(backend_url, classifier):
    port = free_port()
    url = f"http://127.0.0.1:{port}/tickets/decisions"
    settings = make_settings(ticketing_url=url, ticketing_token=TOKEN)
    store = open_store(backend_url)
    app = create_app(settings, store=store, router=Router(classifier, store, RoutingPolicy()))
    with TestClient(app, headers=AUTH) as client:  # the ticketing system is down the whole time
        for n in range(5):
            assert client.post("/v1/tickets", json={"ticket_id": f"R-{n}", "description": "billed twice"}
                               ).status_code == 201
        assert client.get("/v1/stats").json()["outbox"]["pending"] == 5
    assert not app.state.services.worker.running  # stopped cleanly with the app
    store.close()

    store = open_store(backend_url)  # "restart": a new process would see exactly this database
    app = create_app(settings, store=store, router=Router(classifier, store, RoutingPolicy()))
    with receiver(port=port) as endpoint, TestClient(app, headers=AUTH) as client:
        assert wait_until(lambda: store.outbox_counts().delivered == 5, timeout=30)
        stats = client.get("/v1/stats").json()["outbox"]
        metrics = client.get("/metrics").text
    assert stats == {"enabled": True, "pending": 0, "delivered": 5, "dead_letters": 0}
    assert sorted(r.body["ticket_id"] for r in endpoint.accepted()) == [f"R-{n}" for n in range(5)]
    assert 'ticket_router_outbox_deliveries_total{outcome="delivered"} 5.0' in metrics
    assert "ticket_router_outbox_depth 0.0" in metrics
    store.close()


def test_server_worker_delivers_new_decisions_and_counts_failures(service_store, classifier):
    with receiver("fail") as endpoint:
        settings = make_settings(ticketing_url=endpoint.url, ticketing_token=TOKEN)
        app = create_app(settings, store=service_store, router=Router(classifier, service_store, RoutingPolicy()))
        with TestClient(app, headers=AUTH) as client:
            client.post("/v1/tickets", json={"ticket_id": "W-1", "description": "no signal on my phone"})
            assert wait_until(lambda: len(endpoint.requests) >= 2, timeout=10)  # first try + 1 s retry
            endpoint.mode = "ok"
            assert wait_until(lambda: service_store.outbox_counts().delivered == 1, timeout=15)
            metrics = client.get("/metrics").text
    assert "ticket_router_outbox_delivery_failures_total 2.0" in metrics or \
        "ticket_router_outbox_delivery_failures_total 3.0" in metrics
    assert endpoint.accepted()[0].body["ticket_id"] == "W-1"


def test_no_ticketing_url_means_no_outbox(client_without_outbox):
    client, store = client_without_outbox
    client.post("/v1/tickets", json={"ticket_id": "N-1", "description": "refund please"})
    assert store.outbox_counts().model_dump() == {"pending": 0, "delivered": 0, "dead": 0}


@pytest.fixture
def client_without_outbox(service_store, classifier):  # type: ignore[no-untyped-def]
    app = create_app(make_settings(), store=service_store, router=Router(classifier, service_store, RoutingPolicy()))
    with TestClient(app, headers=AUTH) as client:
        yield client, service_store


def test_a_message_claimed_by_a_worker_that_died_is_delivered_once_its_lease_runs_out(service_store):
    (decision_id,) = enqueue(service_store, "T-1")
    clock = Clock()
    # a worker claims the message and is killed before it can send it or record anything
    assert len(service_store.claim_due_messages(clock(), 10, lease_seconds=60)) == 1
    with receiver() as endpoint:
        worker = worker_for(service_store, endpoint.url, clock)
        assert worker.deliver_due().attempted == 0  # still leased: no second sender meanwhile
        clock.advance(61)
        assert worker.deliver_due().delivered == 1
    assert [r.headers["idempotency-key"] for r in endpoint.requests] == [decision_id]
    assert service_store.outbox_counts().model_dump() == {"pending": 0, "delivered": 1, "dead": 0}
