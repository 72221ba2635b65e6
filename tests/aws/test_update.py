"""The update function: each routed decision POSTed once to the real local receiver with the token from Secrets
Manager and an Idempotency-Key; a failed send comes back after the backoff step, then goes to the DLQ."""

from __future__ import annotations

import json
import time

import boto3
from awsstack import REGION, SECRET, TOKEN, post

from ticket_router.aws import route, runtime, update
from ticket_router.outbox.worker import RetryPolicy


def routed(stack) -> None:  # type: ignore[no-untyped-def]
    post({"ticket_id": "A", "description": "I was charged twice on my last invoice"})
    stack.drain(stack.route, route.handler)


def visible(stack) -> list[dict]:  # type: ignore[no-untyped-def]
    return stack.sqs.receive_message(QueueUrl=stack.update.url, MaxNumberOfMessages=10, VisibilityTimeout=0,
                                     AttributeNames=["All"]).get("Messages", [])


def test_a_decision_is_delivered_once_even_when_its_message_comes_twice(chain):
    stack, endpoint = chain
    routed(stack)
    (message,) = visible(stack)
    stack.sqs.send_message(QueueUrl=stack.update.url, MessageBody=message["Body"])  # SQS's at-least-once
    assert stack.drain(stack.update, update.handler) == 2
    (got,) = endpoint.requests
    decision = stack.store.get_decision("A")
    assert got.headers["idempotency-key"] == decision.decision_id
    assert got.headers["authorization"] == f"Bearer {TOKEN}"
    assert got.body == json.loads(message["Body"])["detail"]["message"]


def test_the_token_is_cached_and_a_rotated_one_is_used_once_the_cache_expires(chain):
    stack, endpoint = chain
    routed(stack)
    post({"ticket_id": "B", "description": "No internet at all"})
    stack.drain(stack.route, route.handler)
    assert runtime.runtime().token() == TOKEN
    boto3.client("secretsmanager", region_name=REGION).put_secret_value(SecretId=SECRET,
                                                                        SecretString="rotated-token-9876543210")
    assert runtime.runtime().token() == TOKEN  # cached for a few minutes: no Secrets Manager call per message
    from aws_lambda_powertools.utilities import parameters

    parameters.clear_caches()  # the cache's max age has passed
    stack.drain(stack.update, update.handler)
    assert {r.headers["authorization"] for r in endpoint.requests} == {"Bearer rotated-token-9876543210"}


def test_a_failed_send_is_hidden_for_the_backoff_step_then_sent_again(chain):
    stack, endpoint = chain
    routed(stack)
    endpoint.mode = "fail"
    assert stack.poll(stack.update, update.handler) == (1, 1)
    assert visible(stack) == []  # hidden for 1 s (the first backoff step), not handed straight back
    endpoint.mode = "ok"
    time.sleep(1.2)
    assert stack.poll(stack.update, update.handler) == (1, 0)
    assert [r.headers["x-outcome"] for r in endpoint.requests] == ["fail", "ok"]
    assert len({r.headers["idempotency-key"] for r in endpoint.requests}) == 1


def test_after_the_last_attempt_the_message_goes_to_the_dlq(chain, monkeypatch):
    stack, endpoint = chain
    monkeypatch.setattr(update, "RETRIES", RetryPolicy(backoff=(0, 0, 0, 0, 0)))  # no waiting in the test
    routed(stack)
    endpoint.mode = "fail"
    for _ in range(10):
        stack.poll(stack.update, update.handler)
    assert len(endpoint.requests) == 6  # the first send and five retries
    (dead,) = stack.sqs.receive_message(QueueUrl=stack.update.dlq_url, AttributeNames=["All"])["Messages"]
    assert json.loads(dead["Body"])["detail"]["ticket_id"] == "A"


def test_backoff_steps_follow_the_outbox_policy():
    assert [update.delay_after(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 0, 0]


def test_a_message_that_is_not_a_routed_event_fails_alone(chain):
    stack, endpoint = chain
    routed(stack)
    stack.sqs.send_message(QueueUrl=stack.update.url, MessageBody=json.dumps({"detail": {}}))
    received, failed = stack.poll(stack.update, update.handler)
    assert (received, failed) == (2, 1) and len(endpoint.requests) == 1
