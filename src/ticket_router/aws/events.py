"""The chain's two events, `TicketReceived` and `TicketRouted`: their typed details, the PutEvents entries that
carry them, and reading them back from the SQS messages EventBridge delivers (the whole event is the body)."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ticket_router.aws.contract import EVENT_SOURCE, TICKET_RECEIVED, TICKET_ROUTED
from ticket_router.domain import Decision
from ticket_router.outbox.message import message_body

_PUT_EVENTS_LIMIT = 10  # entries per PutEvents call


class _Detail(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ticket_id: str = Field(min_length=1, max_length=200)
    correlation_id: str | None = None


class TicketReceived(_Detail):
    engine: str | None = None


class TicketRouted(_Detail):
    decision_id: str = Field(min_length=1)
    message: dict[str, Any]  # the ticketing system's body (outbox/message.py)


D = TypeVar("D", bound=_Detail)


class BadEvent(ValueError):
    """A message that is not the event its queue should carry: it fails, and after its retries SQS moves it to the
    dead-letter queue, where nothing is lost and an operator can look at it."""


def received(ticket_id: str, engine: str | None, correlation_id: str | None) -> TicketReceived:
    return TicketReceived(ticket_id=ticket_id, engine=engine, correlation_id=correlation_id)


def routed(decision: Decision, correlation_id: str | None) -> TicketRouted:
    return TicketRouted(ticket_id=decision.ticket_id, decision_id=decision.decision_id,
                        message=message_body(decision), correlation_id=correlation_id)


def entry(bus: str, detail: _Detail) -> dict[str, Any]:
    kind = TICKET_ROUTED if isinstance(detail, TicketRouted) else TICKET_RECEIVED
    return {"EventBusName": bus, "Source": EVENT_SOURCE, "DetailType": kind,
            "Detail": detail.model_dump_json(exclude_none=True)}


def read(body: str, kind: type[D]) -> D:
    """The detail of an EventBridge event delivered as an SQS message body, or `BadEvent` saying what is wrong."""
    expected = TICKET_ROUTED if kind is TicketRouted else TICKET_RECEIVED
    try:
        event = json.loads(body)
    except ValueError:
        raise BadEvent("message body is not JSON") from None
    if not isinstance(event, dict) or event.get("detail-type") != expected or event.get("source") != EVENT_SOURCE:
        raise BadEvent(f"not a {EVENT_SOURCE} {expected} event")
    try:
        return kind.model_validate(event.get("detail"))
    except ValidationError as error:
        fields = ", ".join(".".join(str(p) for p in e["loc"]) or "detail" for e in error.errors())
        raise BadEvent(f"{expected} detail is invalid: {fields}") from None


class EventBus:
    """Puts events on the custom bus; raises when any entry was refused, so the caller's message is retried."""

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def put(self, details: list[_Detail]) -> None:
        entries = [entry(self.name, d) for d in details]
        for start in range(0, len(entries), _PUT_EVENTS_LIMIT):
            answer = self.client.put_events(Entries=entries[start:start + _PUT_EVENTS_LIMIT])
            if answer.get("FailedEntryCount"):
                codes = sorted({e.get("ErrorCode", "?") for e in answer["Entries"] if "ErrorCode" in e})
                raise RuntimeError(f"EventBridge refused {answer['FailedEntryCount']} event(s): {', '.join(codes)}")
