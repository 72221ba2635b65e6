"""Router function (SQS queue fed by the `TicketReceived` rule): decide the batch's tickets with the configured
engine, write each first decision, announce `TicketRouted`. A message that fails (not an event, an unknown ticket,
a store or bus error) is reported back alone (partial batch failure): SQS retries it, then moves it to the DLQ."""

from __future__ import annotations

from typing import Any

from ticket_router.aws import events, observability
from ticket_router.aws.chain import Routed, route_batch
from ticket_router.aws.runtime import runtime


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    @observability.metrics().log_metrics(capture_cold_start_metric=True)
    @observability.logger().inject_lambda_context(clear_state=True)
    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return route_records(event, context)

    return run(event, context)


def route_records(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
    from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

    log = observability.logger()
    observability.count("MessagesReceived", len(event.get("Records", [])))
    requests: dict[str, events.TicketReceived] = {}
    bad: dict[str, Exception] = {}
    for record in event.get("Records", []):
        try:
            requests[record["messageId"]] = events.read(record["body"], events.TicketReceived)
        except events.BadEvent as error:
            bad[record["messageId"]] = error
    try:
        outcome = route_batch(runtime().store, runtime().bus, runtime().engine, list(requests.values()))
    except Exception as error:  # noqa: BLE001 - the whole batch goes back to the queue and is tried again
        log.error("batch failed", extra={"error": type(error).__name__, "tickets": len(requests)})
        outcome = {r.ticket_id: Routed(error=error) for r in requests.values()}
    observability.record_decisions([o.decision for o in outcome.values() if o.new and o.decision])

    def record_handler(record: SQSRecord) -> str:
        if record.message_id in bad:
            error = bad[record.message_id]
            log.warning("message refused", extra={"message_id": record.message_id, "error": str(error)})
            raise error
        request = requests[record.message_id]
        result = outcome[request.ticket_id]
        if result.decision is None:
            log.warning("ticket not routed", extra={"ticket_id": request.ticket_id,
                                                    "error": type(result.error).__name__})
            raise result.error or RuntimeError("no decision")
        log.info("ticket routed" if result.new else "ticket already routed",
                 extra={**observability.decision_fields(result.decision), "correlation_id": request.correlation_id})
        return result.decision.decision_id

    processor = BatchProcessor(event_type=EventType.SQS, raise_on_entire_batch_failure=False)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
