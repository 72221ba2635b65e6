"""Typed dependencies for route handlers: everything a handler needs comes from the app's `Services`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from ticket_router.api.dispatch import BatchDispatcher
from ticket_router.api.metrics import Metrics
from ticket_router.api.service import TicketService
from ticket_router.apikeys import ApiKeyVerifier
from ticket_router.outbox.worker import DeliveryWorker
from ticket_router.router import Router
from ticket_router.settings import Settings
from ticket_router.store.service import ServiceStore


@dataclass
class Services:
    settings: Settings
    store: ServiceStore
    router: Router
    tickets: TicketService
    dispatcher: BatchDispatcher
    verifier: ApiKeyVerifier
    metrics: Metrics
    worker: DeliveryWorker | None
    owns_store: bool


def get_services(request: Request) -> Services:
    return request.app.state.services  # type: ignore[no-any-return]


ServicesDep = Annotated[Services, Depends(get_services)]


def get_tickets(services: ServicesDep) -> TicketService:
    return services.tickets


TicketsDep = Annotated[TicketService, Depends(get_tickets)]


def get_dispatcher(services: ServicesDep) -> BatchDispatcher:
    return services.dispatcher


DispatcherDep = Annotated[BatchDispatcher, Depends(get_dispatcher)]


def get_store(services: ServicesDep) -> ServiceStore:
    return services.store


StoreDep = Annotated[ServiceStore, Depends(get_store)]


# Declared as security schemes so the OpenAPI schema (and the Authorize button on /docs) shows both ways in.
# auto_error=False: a missing or malformed header is our 401, with our body, not FastAPI's 403.
bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer <key>`")
header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="`X-API-Key: <key>`")
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)]
HeaderKeyDep = Annotated[str | None, Depends(header_scheme)]


def require_api_key(request: Request, services: ServicesDep, bearer: BearerDep, header_key: HeaderKeyDep) -> str:
    """The caller's key id; 401 without a valid key. The key itself goes nowhere but into a hash. The middleware
    has checked it already (before the body was read) and left the id, and whether it is an administrator's, in
    the request state."""
    checked = getattr(request.state, "api_key_id", None)
    if checked is not None:
        return checked  # type: ignore[no-any-return]
    presented = (bearer.credentials.strip() if bearer else "") or header_key
    caller = services.verifier.check(presented or None)
    if caller is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or invalid API key",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.api_key_id = caller.key_id
    request.state.api_key_admin = caller.admin
    return caller.key_id


ApiKeyDep = Annotated[str, Depends(require_api_key)]

ADMIN_REQUIRED = "changing the routing model needs an administrator API key (ticket-router keys create --admin)"


def require_admin_key(request: Request, key_id: ApiKeyDep) -> str:
    """The caller's key id when it is an administrator's; 403 for any other valid key (401 without one)."""
    if getattr(request.state, "api_key_admin", False) is not True:
        raise HTTPException(status.HTTP_403_FORBIDDEN, ADMIN_REQUIRED)
    return key_id
