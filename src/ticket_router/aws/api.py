"""API function (API Gateway): `GET /tickets/{ticket_id}` (the ticket and its decisions) and
`POST /tickets/{ticket_id}/feedback` (what the ticket really needed, from the agent who worked it)."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from pydantic import BaseModel

from ticket_router.api.schemas import (
    DecisionPublic,
    ErrorPublic,
    FeedbackCreate,
    FeedbackPublic,
    TicketPublic,
    TicketView,
)
from ticket_router.api.validation import build, policy_team
from ticket_router.aws import observability
from ticket_router.aws.http import fields_of, json_body, json_response, resolver
from ticket_router.aws.runtime import runtime
from ticket_router.domain import Feedback, utcnow

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response


class PendingPublic(BaseModel):
    """A ticket accepted and not decided yet (the router works within seconds)."""

    ticket_id: str
    status: str = "pending"


UNKNOWN = ErrorPublic(detail="unknown ticket")


@cache
def app() -> APIGatewayRestResolver:
    routes = resolver()

    @routes.get("/tickets/<ticket_id>")
    def read_ticket(ticket_id: str) -> Response:
        store = runtime().store
        ticket = store.get_ticket(unquote(ticket_id))
        if ticket is None:
            return json_response(404, UNKNOWN)
        history = store.list_ticket_decisions(ticket.ticket_id)
        if not history:
            return json_response(202, PendingPublic(ticket_id=ticket.ticket_id))
        decisions = [DecisionPublic.model_validate(d.model_dump()) for d in history]
        return json_response(200, TicketPublic(ticket=TicketView.model_validate(ticket.model_dump()),
                                               decision=decisions[0], history=decisions))

    @routes.post("/tickets/<ticket_id>/feedback")
    def create_feedback(ticket_id: str) -> Response:
        body = build(FeedbackCreate, **fields_of(json_body(routes.current_event)))
        policy_team(body.team, runtime().policy)
        store = runtime().store
        if store.get_ticket(unquote(ticket_id)) is None:
            return json_response(404, UNKNOWN)
        item = Feedback(ticket_id=unquote(ticket_id), created_at=utcnow(), **body.model_dump())
        store.save_feedback(item)
        observability.logger().info("feedback stored", extra={"ticket_id": item.ticket_id, "team": item.team.value})
        return json_response(201, FeedbackPublic.model_validate(item.model_dump()))

    return routes


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.logging import correlation_paths

    @observability.logger().inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST,
                                                  clear_state=True)
    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app().resolve(event, context)

    return run(event, context)
