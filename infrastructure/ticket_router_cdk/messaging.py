"""Messaging: the custom EventBridge bus, a rule per event type, and the SQS queues behind them, each with a
dead-letter queue (`maxReceiveCount` from the contract), server-side encryption and a TLS-only policy."""

from __future__ import annotations

from aws_cdk import Duration
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from ticket_router.aws import contract
from ticket_router_cdk.stages import StageSettings

# AWS's advice for a queue that feeds a Lambda function: a visibility timeout of six times the function's timeout,
# so a batch whose function is retried by the service is not handed out twice.
VISIBILITY_FACTOR = 6


class Messaging(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: StageSettings, prefix: str) -> None:
        super().__init__(scope, construct_id)
        self._stage = stage
        self._prefix = prefix
        self.bus = events.EventBus(self, "Bus", event_bus_name=prefix)
        # Events EventBridge could not put on a queue (after its own retries over 24 h) land here, not nowhere.
        self.events_dlq = self._queue("EventsDlq", f"{prefix}-events-dlq", Duration.seconds(30))
        self.dead_letter_queues: dict[str, sqs.Queue] = {"EventsDlq": self.events_dlq}
        self.route_queue = self._fed_queue("Route", contract.ROUTE_TIMEOUT_S, contract.ROUTE_MAX_RECEIVES)
        self.update_queue = self._fed_queue("Update", contract.UPDATE_TIMEOUT_S, contract.UPDATE_MAX_RECEIVES)
        self.received_rule = self._rule("TicketReceived", contract.TICKET_RECEIVED, self.route_queue)
        self.routed_rule = self._rule("TicketRouted", contract.TICKET_ROUTED, self.update_queue)

    def _queue(self, construct_id: str, name: str, visibility: Duration,
               dead_letter: sqs.DeadLetterQueue | None = None) -> sqs.Queue:
        return sqs.Queue(
            self, construct_id, queue_name=name, visibility_timeout=visibility,
            encryption=sqs.QueueEncryption.SQS_MANAGED,  # SSE; EventBridge can deliver without a key grant
            enforce_ssl=True,  # a queue policy that denies every request not made over TLS
            # a dead-letter queue keeps its messages for the longest SQS allows, to leave time for a redrive
            retention_period=Duration.days(self._stage.dlq_retention_days if dead_letter is None else 4),
            dead_letter_queue=dead_letter,
        )

    def _fed_queue(self, name: str, function_timeout_s: int, max_receives: int) -> sqs.Queue:
        dlq = self._queue(f"{name}Dlq", f"{self._prefix}-{name.lower()}-dlq", Duration.seconds(30))
        self.dead_letter_queues[f"{name}Dlq"] = dlq
        return self._queue(f"{name}Queue", f"{self._prefix}-{name.lower()}",
                           Duration.seconds(VISIBILITY_FACTOR * function_timeout_s),
                           sqs.DeadLetterQueue(queue=dlq, max_receive_count=max_receives))

    def _rule(self, construct_id: str, detail_type: str, queue: sqs.Queue) -> events.Rule:
        return events.Rule(
            self, construct_id, event_bus=self.bus, rule_name=f"{self._prefix}-{detail_type}",
            event_pattern=events.EventPattern(source=[contract.EVENT_SOURCE], detail_type=[detail_type]),
            targets=[targets.SqsQueue(queue, dead_letter_queue=self.events_dlq, retry_attempts=185,
                                      max_event_age=Duration.hours(24))],
        )
