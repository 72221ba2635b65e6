"""The FastAPI app factory. Everything is built here, when called, from the settings passed in."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import cast

from fastapi import APIRouter, Depends, FastAPI

from ticket_router.api.deps import Services, require_api_key
from ticket_router.api.dispatch import BatchDispatcher
from ticket_router.api.docs import DOCS, install_docs, local_swagger_ui
from ticket_router.api.engines import engine_picker
from ticket_router.api.errors import AUTH_RESPONSES, ERROR_RESPONSES, install_error_handlers, install_openapi
from ticket_router.api.metrics import Metrics
from ticket_router.api.middleware import MAX_BODY_BYTES, RequestContext
from ticket_router.api.routes import models, ops, reference, tickets
from ticket_router.api.service import TicketService
from ticket_router.apikeys import ApiKeyVerifier
from ticket_router.bootstrap import build_router, open_configured_store
from ticket_router.outbox import DeliveryWorker, build_adapter
from ticket_router.router import Router
from ticket_router.settings import Settings
from ticket_router.store.service import ServiceStore

log = logging.getLogger(__name__)


def build_services(settings: Settings, store: ServiceStore | None = None, router: Router | None = None) -> Services:
    owns_store = store is None
    if store is None:
        store = cast(ServiceStore, open_configured_store(settings))
    router = router or build_router(settings, store)
    metrics = Metrics(outbox_counts=store.outbox_counts)
    adapter = build_adapter(settings)
    worker = DeliveryWorker(store, adapter, on_outcome=metrics.record_delivery) if adapter else None
    service = TicketService(store, engine_picker(settings, router), outbox_enabled=adapter is not None,
                            on_decisions=metrics.record_decisions,
                            on_outbox_write=worker.wake if worker else (lambda: None),
                            on_saved=router.shadow.score if router.shadow else (lambda items: None))
    verifier = ApiKeyVerifier(settings.api_key_list(), store, admin_env_keys=settings.admin_api_key_list())
    return Services(settings=settings, store=store, router=router, tickets=service,
                    dispatcher=BatchDispatcher(service, default_engine=settings.engine), verifier=verifier,
                    metrics=metrics, worker=worker, owns_store=owns_store)


def create_app(settings: Settings, store: ServiceStore | None = None, router: Router | None = None) -> FastAPI:
    """The service. A store or router passed in is used as is (and not closed at shutdown)."""
    services = build_services(settings, store, router)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services.dispatcher.start()
        if services.router.watcher is not None:
            services.router.watcher.start()  # a promotion is picked up within `model_poll_s`
        if services.worker is not None:
            services.worker.start()
            log.info("outbox worker started", extra={"adapter": services.settings.ticketing_adapter})
        try:
            yield
        finally:
            services.dispatcher.stop()
            if services.router.watcher is not None:
                services.router.watcher.stop()
            if services.worker is not None:
                services.worker.stop()
                services.worker.adapter.close()
            if services.owns_store:
                services.store.close()

    swagger_ui = local_swagger_ui()
    app = FastAPI(
        title="ticket-router",
        version="1",
        description="Routes telecom support tickets to a team with a priority, confidence and reasons.",
        lifespan=lifespan,
        docs_url=None if swagger_ui else DOCS,
        redoc_url=None,
        # Counted on the bytes received, chunked uploads included: 413 once over, the rest is never read.
        max_body_size=MAX_BODY_BYTES,
    )
    if swagger_ui:
        install_docs(app, swagger_ui)
    app.state.services = services
    install_error_handlers(app)
    install_openapi(app, [t.value for t in services.router.policy.teams])

    v1 = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)],
                   responses={**ERROR_RESPONSES, **AUTH_RESPONSES})
    v1.include_router(tickets.router)
    v1.include_router(reference.router)
    v1.include_router(ops.stats_router)
    v1.include_router(models.router)
    app.include_router(ops.probes)
    app.include_router(v1)
    app.add_middleware(RequestContext, metrics=services.metrics, templates=lambda: [*app.openapi()["paths"], "/docs"],
                       verifier=services.verifier)
    return app
