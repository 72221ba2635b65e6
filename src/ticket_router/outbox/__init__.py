"""Durable delivery of decisions to the ticketing system: a transactional outbox, a delivery worker with
retries and a dead-letter table, and the adapter that speaks the ticketing system's protocol.

The flow: the API writes each decision and its `OutboundMessage` in one transaction (`build_message`); the
`DeliveryWorker` (a thread in the server, or `ticket-router outbox deliver`) sends due messages through a
`TicketingAdapter`, retrying with backoff and dead-lettering after the last attempt.
"""

from ticket_router.outbox.adapters import DeliveryError, HttpJsonAdapter, TicketingAdapter, build_adapter
from ticket_router.outbox.message import build_message
from ticket_router.outbox.worker import DeliveryReport, DeliveryWorker, RetryPolicy

__all__ = [
    "DeliveryError",
    "DeliveryReport",
    "DeliveryWorker",
    "HttpJsonAdapter",
    "RetryPolicy",
    "TicketingAdapter",
    "build_adapter",
    "build_message",
]
