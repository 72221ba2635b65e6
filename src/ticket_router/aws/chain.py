"""The three steps of the serverless chain, each one function with its collaborators passed in; the Lambda handlers
only parse their event, call one of these and answer.

1. `accept`: store a new ticket (a conditional put on its id) and announce it (`TicketReceived`).
2. `route_batch`: decide the announced tickets with the configured engine, write each ticket's first decision
   (conditional: a message SQS hands over twice never makes a second one) and announce it (`TicketRouted`).
3. `deliver` (aws/update.py): send a routed decision to the ticketing system.

Every step can run twice for the same ticket without harm, which is what makes at-least-once delivery safe.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from ticket_router.aws.events import EventBus, TicketReceived, received, routed
from ticket_router.domain import Decision, Ticket
from ticket_router.engines.base import Engine


class ChainStore(Protocol):
    """What the chain needs from storage (`DynamoStore` implements it)."""

    def accept_tickets(self, tickets: list[Ticket]) -> list[bool]: ...

    def save_first_decisions(self, items: list[tuple[Ticket, Decision]]) -> list[bool]: ...

    def get_tickets(self, ticket_ids: list[str]) -> dict[str, Ticket]: ...

    def get_decisions(self, ticket_ids: list[str]) -> dict[str, Decision]: ...


@dataclass(frozen=True)
class Accepted:
    ticket_id: str
    status: Literal["accepted", "existing"]
    decision: Decision | None = None


def accept(store: ChainStore, bus: EventBus, ticket: Ticket, engine: str | None = None,
           correlation_id: str | None = None) -> Accepted:
    """A new ticket is stored and announced. A known one with a decision is answered with it and nothing else
    happens; a known one still waiting for its decision is announced again (its first announcement may have been
    lost between the write and the event), which the router's conditional write makes harmless."""
    (new,) = store.accept_tickets([ticket])
    if not new:
        decision = store.get_decisions([ticket.ticket_id]).get(ticket.ticket_id)
        if decision is not None:
            return Accepted(ticket.ticket_id, "existing", decision)
    bus.put([received(ticket.ticket_id, engine, correlation_id)])
    return Accepted(ticket.ticket_id, "accepted")


FIRST_DECISIONS = uuid.UUID("6f0c8f1e-5b1a-4c59-9a39-0d6c6a2f7d10")  # namespace of first-decision ids


def first_decision(decision: Decision) -> Decision:
    """A ticket's first decision gets an id derived from its ticket id: routing the same ticket twice (SQS hands a
    message over twice, or a crash between two writes) yields the same id, so the store keeps one decision and the
    ticketing system sees one Idempotency-Key."""
    return decision.model_copy(update={"decision_id": uuid.uuid5(FIRST_DECISIONS, decision.ticket_id).hex})


class UnknownTicket(LookupError):
    pass


@dataclass
class Routed:
    """The outcome of one announced ticket: its decision (new or found), or why it failed."""

    decision: Decision | None = None
    new: bool = False
    error: Exception | None = None


def route_batch(store: ChainStore, bus: EventBus, engines: Callable[[str | None], Engine],
                requests: Sequence[TicketReceived]) -> dict[str, Routed]:
    """Decide every announced ticket that has no decision yet, one engine call per engine named, and announce every
    decision (a found one again, in case its first announcement was lost). Keyed by ticket id."""
    ids = list(dict.fromkeys(r.ticket_id for r in requests))
    outcome = {ticket_id: Routed() for ticket_id in ids}
    for ticket_id, decision in store.get_decisions(ids).items():
        outcome[ticket_id].decision = decision
    tickets = store.get_tickets([t for t in ids if outcome[t].decision is None])
    waiting: dict[str | None, list[Ticket]] = {}
    seen: set[str] = set()
    for request in requests:
        if outcome[request.ticket_id].decision is not None or request.ticket_id in seen:
            continue
        seen.add(request.ticket_id)
        ticket = tickets.get(request.ticket_id)
        if ticket is None:
            outcome[request.ticket_id].error = UnknownTicket(f"no stored ticket {request.ticket_id!r}")
        else:
            waiting.setdefault(request.engine, []).append(ticket)
    for name, group in waiting.items():
        try:
            engine = engines(name)
        except ValueError as error:  # an engine name no factory knows: those tickets fail, the others go on
            for ticket in group:
                outcome[ticket.ticket_id].error = error
            continue
        decisions = [first_decision(d) for d in engine.route_many(group, save=False)]
        written = store.save_first_decisions(list(zip(group, decisions)))
        lost = [d.ticket_id for d, new in zip(decisions, written) if not new]  # another invocation won the write
        winners = store.get_decisions(lost) if lost else {}
        for decision, new in zip(decisions, written):
            outcome[decision.ticket_id] = Routed(decision if new else winners.get(decision.ticket_id), new)
    correlation = {r.ticket_id: r.correlation_id for r in requests}
    decided = [o.decision for o in outcome.values() if o.decision is not None]
    bus.put([routed(d, correlation.get(d.ticket_id)) for d in decided])
    return outcome
