"""Update function (SQS queue fed by the `TicketRouted` rule): deliver each decision to the ticketing system with
the service's HTTP adapter (`Authorization: Bearer <token from Secrets Manager>`, `Idempotency-Key: <decision id>`).

A decision is sent once per decision id (Powertools idempotency), however often SQS hands its message over. A failed
send makes the message visible again after 1, 2, 4, 8, then 16 s (the service outbox's backoff, set through its
visibility timeout); after the last attempt SQS moves it to the DLQ."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ticket_router.aws import events, observability
from ticket_router.aws.runtime import runtime
from ticket_router.outbox.adapters import DeliveryError
from ticket_router.outbox.worker import RetryPolicy
from ticket_router.store.service import PendingMessage

RETRIES = RetryPolicy()


def send(message: dict[str, Any]) -> dict[str, str]:
    """POST one routed decision; returns what the idempotency layer keeps for a repeat."""
    routed = events.TicketRouted.model_validate(message)
    now = datetime.now(UTC)
    runtime().adapter().deliver(PendingMessage(
        id=0, decision_id=routed.decision_id, ticket_id=routed.ticket_id, created_at=now, attempts=0,
        next_attempt_at=now, payload=json.dumps(routed.message, separators=(",", ":"))))
    return {"decision_id": routed.decision_id, "status": "delivered"}


def delay_after(receives: int) -> int:
    """Seconds until a failed message is tried again; 0 once no retry is left (the next receive moves it to the
    dead-letter queue)."""
    delay = RETRIES.delay_after(receives)
    return int(delay) if delay is not None else 0


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    @observability.metrics().log_metrics
    @observability.logger().inject_lambda_context(clear_state=True)
    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return deliver_records(event, context)

    return run(event, context)


def deliver_records(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function

    config = IdempotencyConfig(event_key_jmespath="decision_id")
    config.register_lambda_context(context)
    send_once = idempotent_function(send, data_keyword_argument="message", config=config,
                                    persistence_store=runtime().idempotency)
    log = observability.logger()
    observability.count("MessagesReceived", len(event.get("Records", [])))

    def record_handler(record: SQSRecord) -> str:
        routed = events.read(record.body, events.TicketRouted)
        fields = {"ticket_id": routed.ticket_id, "decision_id": routed.decision_id,
                  "attempt": record.attributes.approximate_receive_count, "correlation_id": routed.correlation_id}
        try:
            send_once(message=routed.model_dump(mode="json"))
        except DeliveryError as error:
            receives = int(record.attributes.approximate_receive_count or 1)
            runtime().sqs.change_message_visibility(QueueUrl=record.queue_url, ReceiptHandle=record.receipt_handle,
                                                    VisibilityTimeout=delay_after(receives))
            log.warning("delivery failed", extra={**fields, "error": str(error), "retry_in_s": delay_after(receives)})
            observability.count("DeliveryFailed")
            raise
        log.info("decision delivered", extra=fields)
        observability.count("Delivered")
        return routed.decision_id

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
