"""Error responses: 400 (never 422) naming each bad field, and JSON for every failure, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ticket_router.api.schemas import ErrorPublic, FieldError, ValidationErrorPublic
from ticket_router.api.validation import InvalidInput


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


def field_errors(error: RequestValidationError) -> list[FieldError]:
    return [FieldError(field=_field(item.get("loc", ())), message=str(item.get("msg", "invalid")).removeprefix(
        "Value error, ")) for item in error.errors()]


def invalid_response(errors: list[FieldError]) -> JSONResponse:
    return JSONResponse(ValidationErrorPublic(errors=errors).model_dump(), status_code=400)


def install_error_handlers(app: FastAPI) -> None:
    async def on_request_validation(request: Request, error: RequestValidationError) -> JSONResponse:
        return invalid_response(field_errors(error))

    async def on_invalid_input(request: Request, error: InvalidInput) -> JSONResponse:
        return invalid_response(error.errors)

    async def on_http_error(request: Request, error: StarletteHTTPException) -> Response:
        # FastAPI's own 400s (a body that is not JSON, or not UTF-8) get the same shape as every other 400.
        if error.status_code == 400:
            return invalid_response([FieldError(field="body", message=str(error.detail))])
        return await http_exception_handler(request, error)

    app.add_exception_handler(RequestValidationError, on_request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(InvalidInput, on_invalid_input)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]


INVALID_INPUT = "Invalid input; each bad field is named"
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ValidationErrorPublic, "description": INVALID_INPUT},
}
AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "Missing or invalid API key"},
}
ADMIN_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorPublic, "description": "A valid key that is not an administrator's"},
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorPublic, "description": "Not found"}}


def install_openapi(app: FastAPI, teams: Sequence[str] = ()) -> None:
    """The served schema says 400 where FastAPI would have said 422, since 400 is what the API returns; and, given
    the routing policy's `teams`, lists them as the only values of a feedback's `team` (a plain string in the
    model, since the teams are the policy's)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if responses.pop("422", None) is not None and "400" not in responses:
                    responses["400"] = {"description": INVALID_INPUT, "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/ValidationErrorPublic"}}}}
        components = schema.get("components", {}).get("schemas", {})
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        team = components.get("FeedbackCreate", {}).get("properties", {}).get("team")
        if teams and team is not None:
            team["enum"] = list(teams)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
