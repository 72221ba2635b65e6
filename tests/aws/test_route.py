"""The router function: a batch of `TicketReceived` messages decided by the same core and engine factory, one first
decision per ticket however often a message comes, `TicketRouted` announced, partial batch failures, EMF metrics."""

from __future__ import annotations

import json

from awsstack import LambdaContext, aws_stack, post

from ticket_router.aws import contract, route
from ticket_router.aws.chain import first_decision
from ticket_router.domain import Customer


def sqs_event(stack, *bodies: str) -> dict:  # type: ignore[no-untyped-def]
    return {"Records": [{"messageId": f"m-{n}", "receiptHandle": f"r-{n}", "body": body,
                         "attributes": {"ApproximateReceiveCount": "1"}, "messageAttributes": {},
                         "eventSource": "aws:sqs", "eventSourceARN": stack.route.arn, "awsRegion": "us-east-1"}
                        for n, body in enumerate(bodies)]}


def announced(stack) -> list[str]:  # type: ignore[no-untyped-def]
    messages = stack.sqs.receive_message(QueueUrl=stack.route.url, MaxNumberOfMessages=10)["Messages"]
    return [m["Body"] for m in messages]


def routed_events(stack) -> list[dict]:  # type: ignore[no-untyped-def]
    messages = stack.sqs.receive_message(QueueUrl=stack.update.url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in messages]


def test_a_batch_is_decided_with_customer_context_and_announced(stack):
    stack.store.upsert_customers([Customer(customer_id="C-VIP", vip=True, region="North")])
    post({"ticket_id": "A", "description": "No internet since 6am, the whole street is down", "customer_id": "C-VIP"})
    post({"ticket_id": "B", "description": "I was charged twice on my last invoice, refund please"})
    answer = route.handler(sqs_event(stack, *announced(stack)), LambdaContext())
    assert answer == {"batchItemFailures": []}
    a, b = stack.store.get_decision("A"), stack.store.get_decision("B")
    assert (a.team.value, a.vip, b.team.value) == ("Network Operations", True, "Billing Support")
    assert a.decision_id == first_decision(a).decision_id  # the id derived from the ticket id
    events = routed_events(stack)
    assert sorted(e["detail"]["ticket_id"] for e in events) == ["A", "B"]
    assert all(e["detail-type"] == contract.TICKET_ROUTED for e in events)
    sent = next(e["detail"] for e in events if e["detail"]["ticket_id"] == "A")
    assert sent["decision_id"] == a.decision_id and sent["message"]["team"] == "Network Operations"


def test_a_message_handed_over_twice_makes_one_decision_and_is_announced_again(stack):
    post({"ticket_id": "A", "description": "Cannot log in to my account"})
    (body,) = announced(stack)
    assert route.handler(sqs_event(stack, body, body), LambdaContext()) == {"batchItemFailures": []}
    first = stack.store.list_ticket_decisions("A")
    assert route.handler(sqs_event(stack, body), LambdaContext()) == {"batchItemFailures": []}
    assert stack.store.list_ticket_decisions("A") == first and len(first) == 1
    events = routed_events(stack) + routed_events(stack)
    assert {e["detail"]["decision_id"] for e in events} == {first[0].decision_id}


def test_bad_messages_fail_alone(stack):
    post({"ticket_id": "OK", "description": "My phone keeps dropping calls"})
    (good,) = announced(stack)
    unknown = json.dumps({"source": contract.EVENT_SOURCE, "detail-type": contract.TICKET_RECEIVED,
                          "detail": {"ticket_id": "NEVER-STORED"}})
    wrong_type = json.dumps({"source": contract.EVENT_SOURCE, "detail-type": contract.TICKET_ROUTED, "detail": {}})
    answer = route.handler(sqs_event(stack, "not json", good, unknown, wrong_type), LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-0"}, {"itemIdentifier": "m-2"},
                                            {"itemIdentifier": "m-3"}]}
    assert stack.store.get_decision("OK") is not None


def test_a_store_failure_fails_the_batch_for_a_retry(stack, monkeypatch):
    post({"ticket_id": "A", "description": "No internet"})
    (body,) = announced(stack)

    def down(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("DynamoDB unreachable")

    monkeypatch.setattr(type(stack.store), "save_first_decisions", down)
    assert route.handler(sqs_event(stack, body), LambdaContext()) == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    monkeypatch.undo()
    assert route.handler(sqs_event(stack, body), LambdaContext()) == {"batchItemFailures": []}
    assert len(stack.store.list_ticket_decisions("A")) == 1


def test_metrics_carry_latency_confidence_review_and_counts_by_team_and_priority(stack, capsys, lambda_logs):
    post({"ticket_id": "A", "description": "No internet since 6am, the whole street is down, secret words 42XYZ"})
    capsys.readouterr()
    route.handler(sqs_event(stack, *announced(stack)), LambdaContext())
    documents = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    decision = stack.store.get_decision("A")
    main = next(d for d in documents if "RoutingLatency" in d)
    assert main["Confidence"] == [decision.confidence] and main["NeedsReview"] == [float(decision.needs_review)]
    assert main["TicketsRouted"] == [1.0]
    by_team = next(d for d in documents if "TicketsByTeam" in d)
    by_priority = next(d for d in documents if "TicketsByPriority" in d)
    assert (by_team["team"], by_priority["priority"]) == (decision.team.value, decision.priority.value)
    routed = next(line for line in lambda_logs() if line.get("message") == "ticket routed")
    assert (routed["ticket_id"], routed["team"], routed["priority"]) == ("A", decision.team.value,
                                                                         decision.priority.value)
    assert "42XYZ" not in json.dumps(lambda_logs())


def test_the_cascade_is_built_by_the_engine_factory_and_a_failed_llm_still_gives_a_flagged_decision():
    # Every ticket goes to the LLM (threshold 1.0); moto has no Bedrock runtime, so the call fails like an outage.
    with aws_stack("http://127.0.0.1:9/unused", TICKET_ROUTER_ENGINE="cascade", TICKET_ROUTER_CASCADE_THRESHOLD="1.0",
                   TICKET_ROUTER_LLM_TIMEOUT_S="3") as stack:
        post({"ticket_id": "A", "description": "help"})
        assert route.handler(sqs_event(stack, *announced(stack)), LambdaContext()) == {"batchItemFailures": []}
        decision = stack.store.get_decision("A")
    assert decision.engine == "cascade" and decision.needs_review
    assert decision.llm["status"] == "fallback"
    assert any(reason.startswith("LLM agent failed") for reason in decision.review_reasons)


def test_an_unknown_engine_fails_only_its_tickets(stack):
    post({"ticket_id": "A", "description": "No internet"})
    post({"ticket_id": "B", "description": "Charged twice"})
    bodies = announced(stack)
    event = json.loads(bodies[0])
    event["detail"]["engine"] = "oracle"
    answer = route.handler(sqs_event(stack, json.dumps(event), bodies[1]), LambdaContext())
    assert answer == {"batchItemFailures": [{"itemIdentifier": "m-0"}]}
    assert stack.store.get_decision(event["detail"]["ticket_id"]) is None
    assert len(stack.store.list_decision_rows()) == 1
