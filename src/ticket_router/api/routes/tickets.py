"""`/v1/tickets`: route one or many tickets, read a ticket's decisions, reroute, record feedback."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Response, status

from ticket_router.api.deps import DispatcherDep, ServicesDep, TicketsDep
from ticket_router.api.errors import NOT_FOUND
from ticket_router.api.schemas import (
    CONTROL_CHARS,
    BatchCreate,
    BatchPublic,
    DecisionPublic,
    FeedbackCreate,
    FeedbackPublic,
    RerouteCreate,
    TicketCreate,
    TicketPublic,
    TicketView,
)
from ticket_router.api.validation import parse_ticket, policy_team
from ticket_router.domain import Decision

router = APIRouter(prefix="/tickets", tags=["tickets"])

TicketId = Annotated[str, Path(min_length=1, max_length=200, pattern=f"^[^{CONTROL_CHARS}]+$")]


def _public(decision: Decision) -> DecisionPublic:
    return DecisionPublic.model_validate(decision.model_dump())


@router.post("", status_code=status.HTTP_201_CREATED, response_model=DecisionPublic,
             responses={200: {"model": DecisionPublic, "description": "Already routed: the stored decision"}})
async def create_ticket(body: TicketCreate, dispatcher: DispatcherDep) -> Response:
    """Route one ticket. A ticket id routed before returns its stored decision (200) and creates nothing."""
    submitted = await dispatcher.submit(parse_ticket(body.ticket_fields()), body.engine)
    # The decision is a validated `Decision` already: written out as is, not validated a second time.
    return Response(submitted.decision.model_dump_json(), media_type="application/json",
                    status_code=status.HTTP_201_CREATED if submitted.created else status.HTTP_200_OK)


@router.post("/batch", response_model=BatchPublic)
def create_batch(body: BatchCreate, tickets: TicketsDep) -> BatchPublic:
    """Route up to 1,000 tickets: per-item results in input order, invalid items reported by index."""
    return tickets.submit_batch(body.tickets, body.engine)


@router.get("/{ticket_id}", response_model=TicketPublic, responses=NOT_FOUND)
def read_ticket(ticket_id: TicketId, tickets: TicketsDep) -> TicketPublic:
    found = tickets.get(ticket_id)
    if found is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown ticket")
    ticket, history = found
    return TicketPublic(ticket=TicketView.model_validate(ticket.model_dump()), decision=_public(history[0]),
                        history=[_public(d) for d in history])


@router.post("/{ticket_id}/reroute", status_code=status.HTTP_201_CREATED, response_model=DecisionPublic,
             responses=NOT_FOUND)
def reroute_ticket(ticket_id: TicketId, tickets: TicketsDep,
                   body: Annotated[RerouteCreate | None, Body()] = None) -> DecisionPublic:
    """Route a stored ticket again (e.g. after new outage data); earlier decisions are kept."""
    decision = tickets.reroute(ticket_id, (body or RerouteCreate()).engine)
    if decision is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown ticket")
    return _public(decision)


@router.post("/{ticket_id}/feedback", status_code=status.HTTP_201_CREATED, response_model=FeedbackPublic,
             responses=NOT_FOUND)
def create_feedback(ticket_id: TicketId, body: FeedbackCreate, tickets: TicketsDep,
                    services: ServicesDep) -> FeedbackPublic:
    """What the ticket really needed, from the agent who worked it: how accuracy is measured in production. The
    team must be one of the routing policy's (400 naming them otherwise)."""
    policy_team(body.team, services.router.policy)
    item = tickets.feedback(ticket_id, body.model_dump())
    if item is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown ticket")
    return FeedbackPublic.model_validate(item.model_dump())
