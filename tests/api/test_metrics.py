"""/metrics: request counts and latency, decisions by team/priority, review rate, outbox depth, failures."""

from __future__ import annotations

from apitest import AUTH
from conftest import NOW
from fastapi.testclient import TestClient
from test_store_helpers import decision, ticket_for

from ticket_router.outbox.message import build_message


def _value(text: str, prefix: str) -> float:
    for line in text.splitlines():
        if line.startswith(prefix):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{prefix} not in metrics")


def test_metrics_count_requests_and_decisions(client):
    client.post("/v1/tickets", json={"ticket_id": "M1", "description": "I was billed twice this month"})
    client.post("/v1/tickets", json={"ticket_id": "M1", "description": "again"})
    client.post("/v1/tickets", json={"ticket_id": "M2"})
    client.get("/v1/tickets/some-id-that-does-not-exist")
    text = client.get("/metrics").text
    assert _value(text, 'ticket_router_http_requests_total{method="POST",route="/v1/tickets",status="201"}') == 1
    assert _value(text, 'ticket_router_http_requests_total{method="POST",route="/v1/tickets",status="200"}') == 1
    assert _value(text, 'ticket_router_http_requests_total{method="POST",route="/v1/tickets",status="400"}') == 1
    # ids never become labels: the route template does
    assert 'route="/v1/tickets/{ticket_id}",status="404"' in text and "some-id" not in text
    assert _value(text, 'ticket_router_http_request_duration_seconds_count{method="POST",route="/v1/tickets"}') == 3
    assert _value(text, 'ticket_router_decisions_total{priority=') == 1
    assert 'team="Billing Support"' in text
    assert 0.0 <= _value(text, "ticket_router_review_rate ") <= 1.0
    assert _value(text, "ticket_router_outbox_depth ") == 0


def test_each_app_has_its_own_registry(app_factory):
    with TestClient(app_factory(), headers=AUTH) as first, TestClient(app_factory(), headers=AUTH) as second:
        first.post("/v1/tickets", json={"ticket_id": "R1", "description": "router keeps rebooting"})
        assert "ticket_router_decisions_total{" in first.get("/metrics").text
        assert "ticket_router_decisions_total{" not in second.get("/metrics").text


def test_dead_letters_show_in_stats_and_metrics(client, service_store):
    made = decision("DL-1")
    service_store.save_new_decisions([(ticket_for("DL-1"), made, build_message(made, NOW))])
    (message,) = service_store.claim_due_messages(NOW, 10, 30)
    service_store.dead_letter(message.id, "HTTP 500", NOW)
    assert client.get("/v1/stats").json()["outbox"] == {"enabled": False, "pending": 0, "delivered": 0,
                                                        "dead_letters": 1}
    assert _value(client.get("/metrics").text, "ticket_router_outbox_dead_letters ") == 1
