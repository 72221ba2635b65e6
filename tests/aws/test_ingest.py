"""The ingestion function: validation as the HTTP service does it (400 naming the field), one stored ticket per id,
`TicketReceived` on the bus, 202; a repeated id answered without a second decision; no ticket text in the logs."""

from __future__ import annotations

import json

import pytest
from awsstack import LambdaContext, api_event, post

from ticket_router.aws import contract, ingest, route


def routed_queue(stack) -> list[dict]:  # type: ignore[no-untyped-def]
    messages = stack.sqs.receive_message(QueueUrl=stack.route.url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_valid_ticket_is_stored_announced_and_answered_202(stack):
    answer = post({"ticket_id": " T-1 ", "subject": "Bill", "description": "Charged twice", "customer_id": "C-9",
                   "engine": "local", "unknown_field": "ignored"})
    assert (answer["statusCode"], answer["json"]) == (202, {"ticket_id": "T-1", "status": "accepted"})
    assert answer["multiValueHeaders"]["Content-Type"] == ["application/json"]
    stored = stack.store.get_ticket("T-1")
    assert (stored.subject, stored.customer_id) == ("Bill", "C-9")
    (event,) = routed_queue(stack)
    assert (event["source"], event["detail-type"]) == (contract.EVENT_SOURCE, contract.TICKET_RECEIVED)
    assert event["detail"]["ticket_id"] == "T-1" and event["detail"]["engine"] == "local"
    assert "Charged" not in json.dumps(event)  # no customer text on the bus


@pytest.mark.parametrize(("body", "raw", "field"), [
    ({"description": "no id"}, None, "ticket_id"),
    ({"ticket_id": "T-2"}, None, "description"),
    ({"ticket_id": "T-2", "subject": "  ", "description": ""}, None, "description"),
    ({"ticket_id": "T-2", "description": "x", "created_at": "yesterday"}, None, "created_at"),
    ({"ticket_id": "T-2", "description": "x", "engine": "gpt"}, None, "engine"),
    ({"ticket_id": "T-2", "description": "nul \x00 inside"}, None, "description"),
    ({"ticket_id": "T-2", "description": "x", "customer_id": "C" * 101}, None, "customer_id"),
    (None, "{not json", "body"),
    (None, "[1, 2]", "body"),
    (None, None, "body"),
])
def test_an_invalid_ticket_is_refused_with_400_naming_the_field(stack, body, raw, field):
    answer = post(body, raw=raw)
    assert answer["statusCode"] == 400, answer
    assert answer["json"]["detail"] == "invalid input"
    assert field in [e["field"] for e in answer["json"]["errors"]]
    assert stack.store.get_ticket("T-2") is None and routed_queue(stack) == []


def test_a_repeated_ticket_id_is_answered_with_the_stored_decision(stack):
    post({"ticket_id": "T-3", "description": "No internet since this morning"})
    stack.drain(stack.route, route.handler)
    (decision,) = stack.store.list_ticket_decisions("T-3")
    again = post({"ticket_id": "T-3", "description": "a different text"})
    assert again["statusCode"] == 200 and again["json"]["status"] == "existing"
    assert again["json"]["decision"]["decision_id"] == decision.decision_id
    assert routed_queue(stack) == []  # nothing announced: no second decision can follow
    assert stack.store.get_ticket("T-3").description == "No internet since this morning"


def test_logs_carry_ids_and_correlation_but_no_ticket_text(stack, lambda_logs, capsys):
    event = api_event("POST", "/tickets", {"ticket_id": "T-4", "description": "my secret phrase 0xDEADBEEF"})
    ingest.handler(event, LambdaContext())
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    lines = lambda_logs()
    accepted = next(line for line in lines if line.get("message") == "ticket accepted")
    assert accepted["ticket_id"] == "T-4" and accepted["correlation_id"] == event["requestContext"]["requestId"]
    assert not any("0xDEADBEEF" in json.dumps(line) for line in lines)
    assert any(line.get("TicketsAccepted") == [1.0] for line in metrics)


def test_an_unexpected_failure_is_a_500_without_details(stack, monkeypatch):
    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("table gone: secret detail")

    monkeypatch.setattr(type(stack.store), "accept_tickets", broken)
    answer = post({"ticket_id": "T-5", "description": "x"})
    assert (answer["statusCode"], answer["json"]) == (500, {"detail": "internal error"})
