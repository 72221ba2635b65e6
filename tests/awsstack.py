"""The deployed chain, faked in-process by moto, for the Lambda handler tests: the store's tables, Powertools'
idempotency table, the custom bus with its two rules, the two queues with their dead-letter queues (the contract's
receive limits), the ticketing token in Secrets Manager. `poll` plays Lambda's SQS event source mapping: it hands a
batch to a handler and deletes the messages the handler did not report as failed.

Only AWS is faked; the handlers, the store, the router and the ticketing receiver (tests/servers.py) are real.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from ticket_router.aws import contract, runtime
from ticket_router.store.dynamodb import DynamoStore
from ticket_router.store.dynamodb_tables import create_table_request

TEXTS = ["No internet since 6am, the whole street is down", "I was charged twice on my last invoice, refund please",
         "Cannot log in to my account, password reset email never arrives",
         "My phone keeps dropping calls after the update"]
REGION = "us-east-1"
TOKEN = "ticketing-token-0123456789"
SECRET = "ticket-router-test-ticketing-token"
Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@dataclass
class LambdaContext:
    function_name: str = "ticket-router-test"
    memory_limit_in_mb: int = 1024
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:ticket-router-test"
    aws_request_id: str = field(default_factory=lambda: uuid.uuid4().hex)

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


@dataclass
class Queue:
    url: str
    arn: str
    dlq_url: str


@dataclass
class Stack:
    store: DynamoStore
    sqs: Any
    events: Any
    route: Queue
    update: Queue
    bus: str

    def depth(self, url: str) -> int:
        attributes = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
            "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
        return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])

    def poll(self, queue: Queue, handler: Handler) -> tuple[int, int]:
        """One batch (up to 10 messages) through `handler`; returns (received, failed)."""
        messages = self.sqs.receive_message(QueueUrl=queue.url, MaxNumberOfMessages=contract.BATCH_SIZE,
                                            AttributeNames=["All"]).get("Messages", [])
        if not messages:
            return 0, 0
        records = [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                    "attributes": m["Attributes"], "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                    "eventSource": "aws:sqs", "eventSourceARN": queue.arn, "awsRegion": REGION} for m in messages]
        answer = handler({"Records": records}, LambdaContext())
        failed = {f["itemIdentifier"] for f in answer["batchItemFailures"]}
        done = [{"Id": str(n), "ReceiptHandle": r["receiptHandle"]} for n, r in enumerate(records)
                if r["messageId"] not in failed]
        if done:
            self.sqs.delete_message_batch(QueueUrl=queue.url, Entries=done)
        return len(records), len(failed)

    def drain(self, queue: Queue, handler: Handler, max_batches: int = 1000) -> int:
        """Poll until the queue hands nothing more over; returns the messages received."""
        total = 0
        for _ in range(max_batches):
            received, _failed = self.poll(queue, handler)
            if not received:
                break
            total += received
        return total


def api_event(method: str, path: str, body: Any = None, raw: str | None = None) -> dict[str, Any]:
    """An API Gateway REST proxy event."""
    return {"httpMethod": method, "path": path, "resource": path, "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {}, "queryStringParameters": None, "multiValueQueryStringParameters": None,
            "pathParameters": None, "stageVariables": None, "isBase64Encoded": False,
            "requestContext": {"requestId": uuid.uuid4().hex, "stage": "test", "httpMethod": method, "path": path},
            "body": raw if raw is not None else (json.dumps(body) if body is not None else None)}


def post(ticket: object, raw: str | None = None) -> dict[str, Any]:
    """POST /tickets through the ingestion function; the answer, with its body parsed under "json"."""
    from ticket_router.aws import ingest

    answer = ingest.handler(api_event("POST", "/tickets", ticket, raw=raw), LambdaContext())
    return answer | {"json": json.loads(answer["body"])}


def _queue(sqs: Any, name: str, max_receives: int) -> Queue:
    dlq_url = sqs.create_queue(QueueName=f"{name}-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    # Visibility 0: a message a test handler fails is at once ready again (a deployed queue waits its timeout).
    url = sqs.create_queue(QueueName=name, Attributes={"VisibilityTimeout": "0", "RedrivePolicy": json.dumps(
        {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(max_receives)})})["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return Queue(url, arn, dlq_url)


def _rule(events: Any, bus: str, detail_type: str, queue: Queue) -> None:
    events.put_rule(Name=f"{bus}-{detail_type}", EventBusName=bus, EventPattern=json.dumps(
        {"source": [contract.EVENT_SOURCE], "detail-type": [detail_type]}))
    events.put_targets(Rule=f"{bus}-{detail_type}", EventBusName=bus, Targets=[{"Id": "queue", "Arn": queue.arn}])


def environment(prefix: str, bus: str, ticketing_url: str, **extra: str) -> dict[str, str]:
    return {"AWS_DEFAULT_REGION": REGION, "AWS_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing", "POWERTOOLS_SERVICE_NAME": contract.SERVICE_NAME,
            "POWERTOOLS_METRICS_NAMESPACE": contract.METRICS_NAMESPACE,
            contract.DATABASE_URL: f"dynamodb://{prefix}?region={REGION}", contract.EVENT_BUS: bus,
            contract.IDEMPOTENCY_TABLE: contract.IDEMPOTENCY.name(prefix), contract.TICKETING_URL: ticketing_url,
            contract.TICKETING_TOKEN_SECRET: SECRET, contract.TICKETING_TIMEOUT: "2", contract.LOG_LEVEL: "INFO", **extra}


@contextmanager
def aws_stack(ticketing_url: str, **extra_env: str) -> Iterator[Stack]:
    from moto import mock_aws

    prefix, bus = f"tr-{uuid.uuid4().hex[:8]}", "ticket-router-test"
    env = environment(prefix, bus, ticketing_url, **extra_env)
    ours = {k: v for k, v in os.environ.items() if not k.startswith("TICKET_ROUTER_")}
    with mock.patch.dict(os.environ, ours | env, clear=True), mock_aws():
        import boto3

        store = DynamoStore(boto3.resource("dynamodb", region_name=REGION), prefix)
        store.create_tables()
        store.client.create_table(**create_table_request(contract.IDEMPOTENCY, prefix))
        sqs, events = boto3.client("sqs", region_name=REGION), boto3.client("events", region_name=REGION)
        events.create_event_bus(Name=bus)
        route = _queue(sqs, f"{prefix}-route", contract.ROUTE_MAX_RECEIVES)
        update = _queue(sqs, f"{prefix}-update", contract.UPDATE_MAX_RECEIVES)
        _rule(events, bus, contract.TICKET_RECEIVED, route)
        _rule(events, bus, contract.TICKET_ROUTED, update)
        boto3.client("secretsmanager", region_name=REGION).create_secret(Name=SECRET, SecretString=TOKEN)
        runtime.reset()
        try:
            yield Stack(store, sqs, events, route, update, bus)
        finally:
            runtime.reset()


@dataclass
class ChainRun:
    posted: int
    accepted: int
    seconds: float
    decisions: list[Any]


def run_tickets(stack: Stack, count: int, every: int = 10) -> ChainRun:
    """`count` tickets through ingest, route and update, the queues drained every `every` tickets (as Lambda
    would poll them); each tenth ticket is posted twice, as a client retrying would."""
    import time

    from ticket_router.aws import ingest, route, update

    started = time.perf_counter()
    posted = accepted = 0
    for n in range(count):
        ticket = {"ticket_id": f"K-{n:05d}", "description": TEXTS[n % len(TEXTS)], "customer_id": f"C-{n % 37}"}
        for copy in range(2 if n % 10 == 0 else 1):
            answer = ingest.handler(api_event("POST", "/tickets", ticket), LambdaContext())
            posted += 1
            accepted += copy == 0 and answer["statusCode"] == 202
        if n % every == every - 1 or n == count - 1:
            stack.drain(stack.route, route.handler)
            stack.drain(stack.update, update.handler)
    seconds = time.perf_counter() - started
    return ChainRun(posted, accepted, seconds, stack.store.list_decisions(limit=10 * count))
