"""What the two API Gateway functions share: a Powertools REST resolver whose errors are JSON (400 naming the
field, 404, 500 without details), reading a JSON body, and the ingestion answer's schema."""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from ticket_router.api.schemas import DecisionPublic, ErrorPublic, FieldError, ValidationErrorPublic
from ticket_router.api.validation import InvalidInput
from ticket_router.aws import observability

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response


class AcceptedPublic(BaseModel):
    """The ingestion answer: 202 `accepted` (the decision follows), or 200 `existing` with the stored decision."""

    ticket_id: str
    status: Literal["accepted", "existing"]
    decision: DecisionPublic | None = None


def json_response(status: int, body: BaseModel) -> Response:
    from aws_lambda_powertools.event_handler import Response

    return Response(status_code=status, content_type="application/json", body=body.model_dump_json(exclude_none=True))


def json_body(event: Any) -> Any:
    """The request's JSON body; `InvalidInput` on `body` when there is none or it is not JSON."""
    raw = event.body
    if raw is not None and event.is_base64_encoded:
        raw = base64.b64decode(raw).decode("utf-8", errors="replace")
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        raise InvalidInput([FieldError(field="body", message="not valid JSON")]) from None


def fields_of(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidInput([FieldError(field="body", message="a JSON object is required")])
    return raw


def resolver() -> APIGatewayRestResolver:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.exceptions import NotFoundError

    app = APIGatewayRestResolver()

    @app.exception_handler(InvalidInput)
    def _invalid(error: InvalidInput) -> Response:
        observability.logger().info("request refused", extra={"fields": [e.field for e in error.errors]})
        return json_response(400, ValidationErrorPublic(errors=error.errors))

    @app.not_found
    def _not_found(_error: NotFoundError) -> Response:
        return json_response(404, ErrorPublic(detail="not found"))

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response:
        # The type only: an exception's text can quote the request.
        observability.logger().error("request failed", extra={"error": type(error).__name__})
        return json_response(500, ErrorPublic(detail="internal error"))

    return app
