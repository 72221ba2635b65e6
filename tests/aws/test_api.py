"""The API function: `GET /tickets/{id}` (pending, decided, unknown) and `POST /tickets/{id}/feedback`."""

from __future__ import annotations

import json

import pytest
from awsstack import LambdaContext, api_event, post

from ticket_router.aws import api, route


def call(method: str, path: str, body: object = None, raw: str | None = None) -> tuple[int, dict]:
    answer = api.handler(api_event(method, path, body, raw=raw), LambdaContext())
    return answer["statusCode"], json.loads(answer["body"])


def test_a_ticket_is_pending_until_routed_then_shows_its_decision(stack):
    post({"ticket_id": "T 1/x", "description": "No internet since 6am"})
    assert call("GET", "/tickets/T%201%2Fx") == (202, {"ticket_id": "T 1/x", "status": "pending"})
    stack.drain(stack.route, route.handler)
    status, body = call("GET", "/tickets/T%201%2Fx")
    assert status == 200 and body["ticket"]["description"] == "No internet since 6am"
    assert body["decision"]["decision_id"] == stack.store.get_decision("T 1/x").decision_id
    assert [d["decision_id"] for d in body["history"]] == [body["decision"]["decision_id"]]


def test_unknown_tickets_and_routes_are_404(stack):
    assert call("GET", "/tickets/nope") == (404, {"detail": "unknown ticket"})
    assert call("POST", "/tickets/nope/feedback", {"team": "Billing Support"}) == (404, {"detail": "unknown ticket"})
    assert call("DELETE", "/tickets/nope")[0] == 404


def test_feedback_is_stored_and_invalid_feedback_is_refused_naming_the_field(stack):
    post({"ticket_id": "T-2", "description": "Charged twice"})
    status, body = call("POST", "/tickets/T-2/feedback", {"team": "Billing Support", "priority": "P1", "agent": "amy"})
    assert status == 201 and (body["team"], body["priority"], body["agent"]) == ("Billing Support", "P1", "amy")
    (stored,) = stack.store.list_feedback()
    assert (stored.ticket_id, stored.team.value) == ("T-2", "Billing Support")
    for bad, field in (({"team": "Sales"}, "team"), ({"team": "Billing Support", "priority": "P9"}, "priority"),
                       ({"team": "Billing Support", "extra": 1}, "extra"), ({}, "team")):
        status, body = call("POST", "/tickets/T-2/feedback", bad)
        assert status == 400 and field in [e["field"] for e in body["errors"]], (bad, body)
    assert call("POST", "/tickets/T-2/feedback", raw="{oops")[0] == 400
    assert len(stack.store.list_feedback()) == 1


@pytest.mark.parametrize("path", ["/tickets/T-3", "/tickets/T-3/feedback"])
def test_a_store_failure_is_a_500_without_details(stack, monkeypatch, path):
    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("secret internals")

    monkeypatch.setattr(type(stack.store), "get_ticket", broken)
    method = "GET" if path.endswith("T-3") else "POST"
    assert call(method, path, {"team": "Billing Support"}) == (500, {"detail": "internal error"})
