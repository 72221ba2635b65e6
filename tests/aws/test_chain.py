"""The whole chain, end to end: an API Gateway event → ingestion → the bus (moto's EventBridge delivers to SQS) →
router → DynamoDB → `TicketRouted` → SQS → update → a real local HTTP ticketing receiver. Then what goes wrong:
a poison message, a failing receiver, a duplicate ticket; and many tickets with none lost or doubled."""

from __future__ import annotations

import json
import time
from collections import Counter

from awsstack import TEXTS, post, run_tickets

from ticket_router.aws import contract, route, update


def test_a_ticket_goes_from_the_api_to_the_ticketing_system(chain):
    stack, endpoint = chain
    answer = post({"ticket_id": "T-1", "subject": "Outage", "description": TEXTS[0]})
    assert (answer["statusCode"], answer["json"]) == (202, {"ticket_id": "T-1", "status": "accepted"})
    assert stack.poll(stack.route, route.handler) == (1, 0)
    decision = stack.store.get_decision("T-1")
    assert decision is not None and decision.team.value == "Network Operations"
    assert stack.poll(stack.update, update.handler) == (1, 0)
    (got,) = endpoint.requests
    assert got.headers["authorization"] == "Bearer ticketing-token-0123456789"  # from Secrets Manager
    assert got.headers["idempotency-key"] == decision.decision_id
    assert (got.body["ticket_id"], got.body["team"], got.body["priority"]) == (
        "T-1", decision.team.value, decision.priority.value)
    assert stack.depth(stack.route.url) == stack.depth(stack.update.url) == 0


def test_a_poison_message_ends_in_the_dlq_and_the_rest_of_its_batch_is_routed(chain):
    stack, endpoint = chain
    post({"ticket_id": "GOOD", "description": TEXTS[1]})
    stack.sqs.send_message(QueueUrl=stack.route.url, MessageBody="{not json")
    unknown = {"ticket_id": "NOPE"}  # an event for a ticket that was never stored
    stack.events.put_events(Entries=[{"EventBusName": stack.bus, "Source": contract.EVENT_SOURCE,
                                      "DetailType": contract.TICKET_RECEIVED, "Detail": json.dumps(unknown)}])
    stack.drain(stack.route, route.handler)
    assert stack.store.get_decision("GOOD") is not None
    dead = stack.sqs.receive_message(QueueUrl=stack.route.dlq_url, MaxNumberOfMessages=10,
                                     AttributeNames=["All"]).get("Messages", [])
    bodies = sorted(m["Body"] for m in dead)
    assert bodies[-1] == "{not json" and json.loads(bodies[0])["detail"] == {"ticket_id": "NOPE"}
    assert all(int(m["Attributes"]["ApproximateReceiveCount"]) >= contract.ROUTE_MAX_RECEIVES for m in dead)
    stack.drain(stack.update, update.handler)
    assert [r.body["ticket_id"] for r in endpoint.requests] == ["GOOD"]


def test_a_failing_receiver_is_retried_with_backoff_and_nothing_is_lost(chain):
    stack, endpoint = chain
    for n in range(3):
        post({"ticket_id": f"F-{n}", "description": TEXTS[n]})
    stack.drain(stack.route, route.handler)
    endpoint.mode = "fail"
    assert stack.poll(stack.update, update.handler) == (3, 3)
    # each failed message is hidden for the first backoff step (1 s), not handed straight back
    assert stack.poll(stack.update, update.handler) == (0, 0)
    endpoint.mode = "ok"
    deadline = time.monotonic() + 10
    while len(endpoint.accepted()) < 3 and time.monotonic() < deadline:
        stack.poll(stack.update, update.handler)
        time.sleep(0.2)
    assert sorted(r.body["ticket_id"] for r in endpoint.accepted()) == ["F-0", "F-1", "F-2"]
    assert len(endpoint.requests) == 6  # 3 failed sends, then 3 delivered
    assert stack.depth(stack.update.url) == stack.depth(stack.update.dlq_url) == 0


def test_a_duplicate_ticket_gets_one_decision_and_one_delivery(chain):
    stack, endpoint = chain
    first = post({"ticket_id": "D-1", "description": TEXTS[2]})
    again = post({"ticket_id": "D-1", "description": TEXTS[2]})  # before routing: announced again
    assert first["statusCode"] == again["statusCode"] == 202
    stack.drain(stack.route, route.handler)
    stack.drain(stack.update, update.handler)
    late = post({"ticket_id": "D-1", "description": "something else entirely"})  # after: answered from the store
    assert late["statusCode"] == 200 and late["json"]["status"] == "existing"
    (decision,) = stack.store.list_ticket_decisions("D-1")
    assert late["json"]["decision"]["decision_id"] == decision.decision_id
    stack.drain(stack.route, route.handler)
    stack.drain(stack.update, update.handler)
    assert len(stack.store.list_ticket_decisions("D-1")) == 1
    assert [r.headers["idempotency-key"] for r in endpoint.accepted()] == [decision.decision_id]


def test_many_tickets_with_none_lost_or_doubled(chain):
    """200 here (about 15 s: moto's EventBridge and DynamoDB cost far more per call than the handlers do);
    `python benchmarks/aws_chain.py` runs 1,000 through the same code and reports the time."""
    stack, endpoint = chain
    run = run_tickets(stack, count=200)
    assert run.posted == 220 and run.accepted == 200  # a tenth were posted twice
    assert len(run.decisions) == 200 and len({d.ticket_id for d in run.decisions}) == 200
    delivered = Counter(r.body["ticket_id"] for r in endpoint.accepted())
    assert len(delivered) == 200 and set(delivered.values()) == {1}
    assert {r.headers["idempotency-key"] for r in endpoint.accepted()} == {d.decision_id for d in run.decisions}
    for url in (stack.route.url, stack.route.dlq_url, stack.update.url, stack.update.dlq_url):
        assert stack.depth(url) == 0
