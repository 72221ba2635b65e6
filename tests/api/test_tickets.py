"""POST/GET /v1/tickets, batch, reroute and feedback on both storage backends."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from ticket_router.ingest import Accepted, to_ticket

OUTAGE_TICKET = {"ticket_id": "T-100", "subject": "No internet", "customer_id": "C-9",
                 "description": "Internet is down for the whole street since this morning"}


def test_post_routes_stores_and_returns_201(client, service_store):
    response = client.post("/v1/tickets", json=OUTAGE_TICKET)
    assert response.status_code == 201
    body = response.json()
    assert body["ticket_id"] == "T-100" and body["team"] == "Network Operations"
    assert body["priority"] in {"P0", "P1", "P2", "P3"} and 0 <= body["confidence"] <= 1
    assert body["engine"] == "local" and body["reasoning"]
    assert service_store.get_decision("T-100").decision_id == body["decision_id"]
    assert "x-request-id" in response.headers


def test_same_ticket_id_returns_stored_decision_and_creates_nothing(client, service_store):
    first = client.post("/v1/tickets", json=OUTAGE_TICKET).json()
    again = client.post("/v1/tickets", json={**OUTAGE_TICKET, "description": "something else entirely"})
    assert again.status_code == 200
    assert again.json()["decision_id"] == first["decision_id"]
    assert len(service_store.list_ticket_decisions("T-100")) == 1


def test_concurrent_duplicate_posts_create_exactly_one_decision(client, service_store):
    ticket = {"ticket_id": "RACE-1", "description": "my bill shows a charge I never agreed to"}
    with ThreadPoolExecutor(8) as pool:
        responses = list(pool.map(lambda _: client.post("/v1/tickets", json=ticket), range(16)))
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(200) == 15
    assert len({r.json()["decision_id"] for r in responses}) == 1
    assert len(service_store.list_ticket_decisions("RACE-1")) == 1


@pytest.mark.parametrize("body, fields", [
    ({"subject": "hi"}, {"ticket_id"}),
    ({"ticket_id": "X"}, {"description"}),
    ({"ticket_id": "X", "subject": 5, "description": ["a"]}, {"subject", "description"}),
    ({"ticket_id": "X", "description": "router broken", "created_at": "soon"}, {"created_at"}),
    ({"ticket_id": "  ", "description": "router broken"}, {"ticket_id"}),
    ({"ticket_id": "X" * 201, "description": "router broken"}, {"ticket_id"}),
    ({"ticket_id": "X", "description": "router broken", "customer_id": "C" * 101}, {"customer_id"}),
    ({"ticket_id": "X", "description": "nul \x00 byte"}, {"description"}),
    ({"ticket_id": "X", "description": "router broken", "engine": "gpt"}, {"engine"}),
    ({"ticket_id": "X", "description": "d", "created_at": "0001-01-01T00:00:00+05:00"}, {"created_at"}),
])
def test_invalid_ticket_is_400_naming_each_bad_field(client, service_store, body, fields):
    response = client.post("/v1/tickets", json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["detail"] == "invalid input"
    assert {e["field"] for e in payload["errors"]} == fields
    assert all(e["message"] for e in payload["errors"])
    assert service_store.get_ticket("X") is None


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe{}"])
def test_malformed_body_is_400(client, raw):
    response = client.post("/v1/tickets", content=raw, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["errors"]
    assert response.json()["detail"] == "invalid input"


def test_api_accepts_exactly_what_the_cli_accepts(client):
    samples = [
        {"ticket_id": "P1", "subject": "", "description": "refund", "created_at": "2026-11-20T10:00:00Z"},
        {"ticket_id": "P2", "subject": "password reset", "description": None, "unknown_field": 3},
        {"ticket_id": "P3", "subject": " ", "description": "\t"},
        {"ticket_id": "P4", "description": "tv", "created_at": "20/11/2026"},
    ]
    for raw in samples:
        cli_accepts = isinstance(to_ticket(raw, 1), Accepted)
        assert (client.post("/v1/tickets", json=raw).status_code == 201) == cli_accepts, raw


def test_get_unknown_ticket_is_404(client):
    assert client.get("/v1/tickets/NOPE").status_code == 404
    assert client.post("/v1/tickets/NOPE/reroute").status_code == 404
    assert client.post("/v1/tickets/NOPE/feedback", json={"team": "Billing Support"}).status_code == 404


def test_reroute_keeps_history_and_get_shows_latest(client):
    first = client.post("/v1/tickets", json=OUTAGE_TICKET).json()
    second = client.post("/v1/tickets/T-100/reroute", json={"engine": "local"})
    assert second.status_code == 201 and second.json()["decision_id"] != first["decision_id"]
    view = client.get("/v1/tickets/T-100").json()
    assert view["ticket"]["description"] == OUTAGE_TICKET["description"]
    assert view["decision"]["decision_id"] == second.json()["decision_id"]
    assert [d["decision_id"] for d in view["history"]] == [second.json()["decision_id"], first["decision_id"]]


def test_batch_reports_invalid_items_by_index_and_routes_the_rest(client, service_store):
    client.post("/v1/tickets", json=OUTAGE_TICKET)
    items = [
        {"ticket_id": "B1", "description": "charged twice on my invoice"},
        {"ticket_id": "B2"},
        "not an object",
        OUTAGE_TICKET,
        {"ticket_id": "B1", "description": "duplicate inside the batch"},
        {"ticket_id": "B3", "subject": "cannot log in to my account"},
    ]
    response = client.post("/v1/tickets/batch", json={"tickets": items})
    assert response.status_code == 200
    body = response.json()
    assert [r["status"] for r in body["results"]] == ["created", "invalid", "invalid", "existing", "existing",
                                                       "created"]
    assert [r["index"] for r in body["results"]] == list(range(6))
    assert body["results"][1]["errors"][0]["field"] == "description"
    assert (body["created"], body["existing"], body["invalid"]) == (2, 2, 2)
    assert body["results"][4]["decision"]["decision_id"] == body["results"][0]["decision"]["decision_id"]
    assert len(service_store.list_ticket_decisions("B1")) == 1


def test_batch_over_1000_is_400(client):
    tickets = [{"ticket_id": f"X{i}", "description": "x"} for i in range(1001)]
    response = client.post("/v1/tickets/batch", json={"tickets": tickets})
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "tickets"


def test_feedback_is_stored_and_counts_in_stats(client, service_store):
    decision = client.post("/v1/tickets", json=OUTAGE_TICKET).json()
    response = client.post("/v1/tickets/T-100/feedback",
                           json={"team": decision["team"], "priority": "P1", "agent": "amy"})
    assert response.status_code == 201 and response.json()["agent"] == "amy"
    assert client.post("/v1/tickets/T-100/feedback", json={"team": "Sales"}).status_code == 400
    stats = client.get("/v1/stats").json()
    assert stats["count"] == 1 and stats["feedback_count"] == 1 and stats["accuracy"] == 1.0
    assert stats["per_day"][0]["count"] == 1
    assert stats["outbox"] == {"enabled": False, "pending": 0, "delivered": 0, "dead_letters": 0}
    assert client.get("/v1/stats", params={"since": "2999-01-01T00:00:00Z"}).json()["count"] == 0
    assert client.get("/v1/stats", params={"since": "yesterday"}).status_code == 400


def test_llm_engine_that_fails_still_gives_a_stored_flagged_decision(client, service_store):
    # apitest.NO_LLM points the LLM provider at a loopback port where nothing listens
    response = client.post("/v1/tickets", json={**OUTAGE_TICKET, "engine": "agent"})
    assert response.status_code == 201
    body = response.json()
    assert body["needs_review"] is True and body["review_reasons"]
    assert body["team"] in {"Network Operations", "Billing Support", "Technical Support", "Account Management"}
    assert service_store.get_decision("T-100").decision_id == body["decision_id"]


def test_stats_since_must_be_a_date_time(client):
    client.post("/v1/tickets", json=OUTAGE_TICKET)
    assert client.get("/v1/stats", params={"since": "2000-01-01T00:00:00Z"}).json()["count"] == 1
    for bad in ("12345", "-1e-90", "yesterday"):
        response = client.get("/v1/stats", params={"since": bad})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "since", bad
