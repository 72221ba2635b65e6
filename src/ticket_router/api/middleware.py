"""One ASGI middleware for every request: correlation id, metrics, an access log line, a 401 for a `/v1` request
without a valid key before any of its body is read, and a JSON 500/503 instead of a traceback when something
unexpected fails. (The body's size limit, on the bytes actually received, chunked or not, is FastAPI's own
`max_body_size`, set in `api/app.py`.)"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.routing import compile_path

from ticket_router.api.logs import REQUEST_ID
from ticket_router.api.metrics import Metrics
from ticket_router.apikeys import ApiKeyVerifier, Caller
from ticket_router.store.faults import database_cause

log = logging.getLogger("ticket_router.api.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
MAX_BODY_BYTES = 16 * 1024 * 1024
UNAUTHORISED = "missing or invalid API key"

Scope = dict[str, Any]


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            candidate = value.decode("latin-1")
            if _SAFE_ID.match(candidate):
                return candidate
    return uuid.uuid4().hex


def presented_key(scope: Scope) -> str | None:
    """The key a request presents: `Authorization: Bearer <key>` first, else `X-API-Key: <key>`."""
    bearer = header = None
    for name, value in scope.get("headers", ()):
        if name == b"authorization":
            scheme, _, credentials = value.decode("latin-1").partition(" ")
            if scheme.lower() == "bearer" and credentials.strip():
                bearer = credentials.strip()
        elif name == b"x-api-key":
            header = value.decode("latin-1")
    return bearer or header or None


def _is_database_error(error: BaseException) -> bool:
    try:
        from sqlalchemy.exc import DBAPIError, OperationalError
    except ImportError:  # pragma: no cover
        return False
    return isinstance(error, OperationalError) or (isinstance(error, DBAPIError) and error.connection_invalidated)


class RouteTemplates:
    """Maps a request path to its route template (`/v1/tickets/{ticket_id}`), the metrics label: bounded
    cardinality, whatever ids clients send."""

    def __init__(self, templates: Callable[[], Iterable[str]]) -> None:
        self._source = templates
        self._compiled: list[tuple[re.Pattern[str], str]] | None = None

    def label(self, path: str) -> str:
        if self._compiled is None:
            self._compiled = [(compile_path(t)[0], t) for t in self._source()]
        for pattern, template in self._compiled:
            if pattern.match(path):
                return template
        return "unmatched"


class RequestContext:
    def __init__(self, app: Any, metrics: Metrics, templates: Callable[[], Iterable[str]],
                 verifier: ApiKeyVerifier | None = None, protected_prefix: str = "/v1/") -> None:
        self.app = app
        self.metrics = metrics
        self.routes = RouteTemplates(templates)
        self.verifier = verifier
        self.protected_prefix = protected_prefix

    async def _caller(self, scope: Scope) -> Caller | None:
        """The caller's key, checked before the app reads a byte of the body: a request without a valid key
        gets its 401 without uploading anything (a chunked gigabyte included)."""
        presented = presented_key(scope)
        if presented is None or self.verifier is None:
            return None
        return self.verifier.check_env(presented) or await run_in_threadpool(self.verifier.check, presented)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        token = REQUEST_ID.set(request_id)
        started = time.perf_counter()
        state = {"status": 500, "started": False}

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
                state["started"] = True
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            protected = self.verifier is not None and scope.get("path", "").startswith(self.protected_prefix)
            caller = await self._caller(scope) if protected else None
            if protected and caller is None:
                await _json(send_with_id, 401, {"detail": UNAUTHORISED}, [(b"www-authenticate", b"Bearer")])
            else:
                if caller is not None:
                    # Whether the key is an administrator's travels with its id: no second lookup per request.
                    scope.setdefault("state", {}).update(api_key_id=caller.key_id, api_key_admin=caller.admin)
                await self.app(scope, receive, send_with_id)
        except Exception as error:  # noqa: BLE001 - answered with JSON; the traceback only at DEBUG
            unavailable = _is_database_error(error)
            fields = {"error": type(error).__name__, "path": scope.get("path")}
            if unavailable:
                fields["cause"] = database_cause(error)  # "disk full", "read-only"…: never the driver's message
            log.error("request failed", extra=fields, exc_info=log.isEnabledFor(logging.DEBUG))
            if not state["started"]:
                await _json(send_with_id, 503 if unavailable else 500,
                            {"detail": "database unavailable" if unavailable else "internal error",
                             "request_id": request_id})
        finally:
            seconds = time.perf_counter() - started
            route = self.routes.label(scope.get("path", ""))
            status = int(state["status"])  # type: ignore[call-overload]
            self.metrics.observe_request(scope["method"], route, status, seconds)
            if log.isEnabledFor(logging.INFO):
                log.info("request", extra={"method": scope["method"], "route": route, "status": status,
                                           "latency_ms": round(seconds * 1000, 2),
                                           "api_key_id": _state(scope).get("api_key_id")})
            REQUEST_ID.reset(token)


def _state(scope: Scope) -> dict[str, Any]:
    state = scope.get("state")
    return state if isinstance(state, dict) else {}


async def _json(send: Any, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> None:
    payload = json.dumps(body).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode()),
                            *(headers or [])]})
    await send({"type": "http.response.body", "body": payload})
