"""Typed dependencies for route handlers: everything a handler needs comes from the app's `Services`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status

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


def get_store(services: ServicesDep) -> ServiceStore:
    return services.store


StoreDep = Annotated[ServiceStore, Depends(get_store)]


def presented_key(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.headers.get("x-api-key") or None


def require_api_key(request: Request, services: ServicesDep) -> str:
    """The caller's key id; 401 without a valid key. The key itself goes nowhere but into a hash."""
    key_id = services.verifier.identify(presented_key(request))
    if key_id is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or invalid API key",
                            headers={"WWW-Authenticate": "Bearer"})
    request.state.api_key_id = key_id
    return key_id


ApiKeyDep = Annotated[str, Depends(require_api_key)]
