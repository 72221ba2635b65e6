"""Moving messages from a dead-letter queue back to where they failed, with boto3.

The destination is the queue whose redrive policy names this DLQ (the route and update queues), or, for
EventBridge's DLQ, the target each message names in its `TARGET_ARN` attribute. A message is deleted from the DLQ
only after it was sent on, so a failure part way leaves it in the DLQ (at worst delivered twice: the handlers are
idempotent). SQS's own StartMessageMoveTask is not used: it cannot serve EventBridge's DLQ, whose messages have no
source queue.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

EVENTBRIDGE_TARGET = "TARGET_ARN"
# Attributes EventBridge adds to a message it could not deliver; they describe the failure, not the event.
_EVENTBRIDGE_ERROR_ATTRIBUTES = frozenset({"RULE_ARN", "TARGET_ARN", "ERROR_CODE", "ERROR_MESSAGE",
                                           "EXHAUSTED_RETRY_CONDITION", "RETRY_ATTEMPTS"})


class RedriveError(ValueError):
    pass


class RedriveResult(BaseModel):
    queue: str
    moved: int
    failed: int
    destinations: dict[str, int]  # queue URL → messages moved there


def queue_url(sqs: Any, queue: str) -> str:
    if queue.startswith("https://") or queue.startswith("http://"):
        return queue
    try:
        return sqs.get_queue_url(QueueName=queue)["QueueUrl"]
    except sqs.exceptions.QueueDoesNotExist:
        raise RedriveError(f"no queue named {queue!r} in this account and region") from None


def redrive(sqs: Any, queue: str, to: str | None = None, limit: int | None = None) -> RedriveResult:
    """Moves up to `limit` messages (all, by default) from the DLQ `queue` (name or URL) back."""
    dlq = queue_url(sqs, queue)
    fixed = queue_url(sqs, to) if to else source_queue(sqs, dlq)
    moved = failed = 0
    destinations: dict[str, int] = {}
    while limit is None or moved + failed < limit:
        wanted = 10 if limit is None else min(10, limit - moved - failed)
        batch = sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=wanted, WaitTimeSeconds=1,
                                    MessageAttributeNames=["All"]).get("Messages", [])
        if not batch:
            break
        by_destination: dict[str, list[dict[str, Any]]] = {}
        try:
            for message in batch:
                destination = fixed or target_queue(sqs, message, dlq)
                by_destination.setdefault(destination, []).append(message)
        except RedriveError:
            release(sqs, dlq, batch)
            raise
        for destination, messages in by_destination.items():
            sent = send(sqs, destination, messages)
            done = [m for m in messages if m["MessageId"] in sent]
            if done:
                sqs.delete_message_batch(QueueUrl=dlq, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(done)])
            moved += len(done)
            failed += len(messages) - len(done)
            destinations[destination] = destinations.get(destination, 0) + len(done)
        if failed and not moved:
            break  # nothing goes through: stop rather than spin on the same messages
    return RedriveResult(queue=dlq, moved=moved, failed=failed, destinations=destinations)


def release(sqs: Any, dlq: str, messages: list[dict[str, Any]]) -> None:
    """Makes received messages visible again at once, for the next attempt."""
    sqs.change_message_visibility_batch(QueueUrl=dlq, Entries=[
        {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": 0} for i, m in enumerate(messages)])


def source_queue(sqs: Any, dlq: str) -> str | None:
    """The one queue whose redrive policy sends here; None for a DLQ no queue names (EventBridge's)."""
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq).get("queueUrls", [])
    if len(sources) > 1:
        raise RedriveError(f"{dlq} is the DLQ of {len(sources)} queues: say which with --to")
    return sources[0] if sources else None


def target_queue(sqs: Any, message: dict[str, Any], dlq: str) -> str:
    target = message.get("MessageAttributes", {}).get(EVENTBRIDGE_TARGET, {}).get("StringValue", "")
    if not target.startswith("arn:") or ":sqs:" not in target:
        raise RedriveError(f"{dlq}: no queue names it as its DLQ and a message has no SQS {EVENTBRIDGE_TARGET}; "
                           "say where to with --to")
    account, name = target.split(":")[4], target.split(":")[5]
    return sqs.get_queue_url(QueueName=name, QueueOwnerAWSAccountId=account)["QueueUrl"]


def send(sqs: Any, destination: str, messages: list[dict[str, Any]]) -> set[str]:
    """Sends the messages on; the ids of those SQS accepted."""
    entries = [{"Id": str(i), "MessageBody": m["Body"],
                "MessageAttributes": {k: v for k, v in m.get("MessageAttributes", {}).items()
                                      if k not in _EVENTBRIDGE_ERROR_ATTRIBUTES}}
               for i, m in enumerate(messages)]
    response = sqs.send_message_batch(QueueUrl=destination, Entries=entries)
    return {messages[int(ok["Id"])]["MessageId"] for ok in response.get("Successful", [])}
