"""Ingestion function (API Gateway `POST /tickets`): validate the ticket as the HTTP service does, store it once,
announce it; 202 with its id, or 200 with the decision when the ticket id was routed before."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from ticket_router.api.schemas import TicketCreate
from ticket_router.api.validation import build, parse_ticket
from ticket_router.aws import observability
from ticket_router.aws.chain import accept
from ticket_router.aws.http import AcceptedPublic, fields_of, json_body, json_response, resolver
from ticket_router.aws.runtime import runtime

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response


@cache
def app() -> APIGatewayRestResolver:
    routes = resolver()

    @routes.post("/tickets")
    def create_ticket() -> Response:
        body = build(TicketCreate, **fields_of(json_body(routes.current_event)))
        ticket = parse_ticket(body.ticket_fields())
        log = observability.logger()
        result = accept(runtime().store, runtime().bus, ticket, body.engine, log.get_correlation_id())
        log.info("ticket accepted", extra={"ticket_id": ticket.ticket_id, "status": result.status})
        observability.count("TicketsAccepted" if result.status == "accepted" else "TicketsRepeated")
        answer = AcceptedPublic(ticket_id=result.ticket_id, status=result.status,
                                decision=result.decision.model_dump() if result.decision else None)
        return json_response(200 if result.status == "existing" else 202, answer)

    return routes


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    from aws_lambda_powertools.logging import correlation_paths

    @observability.metrics().log_metrics
    @observability.logger().inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST,
                                                  clear_state=True)
    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        return app().resolve(event, context)

    return run(event, context)
