"""Health, readiness, statistics and Prometheus metrics."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from prometheus_client import CONTENT_TYPE_LATEST

from ticket_router.api.deps import ServicesDep, TicketsDep
from ticket_router.api.schemas import HealthPublic, OutboxStatsPublic, StatsPublic
from ticket_router.api.validation import parse_datetime
from ticket_router.bootstrap import UnavailableClassifier
from ticket_router.store.faults import database_cause

log = logging.getLogger(__name__)

probes = APIRouter(tags=["operations"])
stats_router = APIRouter(tags=["operations"])


@probes.get("/healthz", response_model=HealthPublic)
def healthz() -> HealthPublic:
    """Liveness: the process answers."""
    return HealthPublic(status="ok")


@probes.get("/readyz", response_model=HealthPublic, responses={503: {"model": HealthPublic}})
def readyz(services: ServicesDep, response: Response) -> HealthPublic:
    """Readiness: decisions can be stored (a write to the database succeeds) and the model is loaded."""
    checks = {}
    try:
        checks["database"] = "ok" if services.store.ping() else "unavailable"
    except Exception as error:  # noqa: BLE001 - a probe reports the failure (503), it does not raise it
        cause = database_cause(error)
        log.warning("readiness: decisions cannot be stored", extra={"cause": cause})
        checks["database"] = f"unavailable ({cause})"
    classifier = services.router.classifier
    checks["model"] = "unavailable" if isinstance(classifier, UnavailableClassifier) else (
        f"{classifier.info.name}/{classifier.info.version}")
    if services.worker is not None:
        checks["outbox_worker"] = "running" if services.worker.running else "stopped"
    ready = checks["database"] == "ok" and checks["model"] != "unavailable"
    if not ready:
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    return HealthPublic(status="ok" if ready else "unavailable", checks=checks)


@probes.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(services: ServicesDep) -> Response:
    """Prometheus text format."""
    return Response(services.metrics.render(), media_type=CONTENT_TYPE_LATEST)


@stats_router.get("/stats", response_model=StatsPublic)
def read_stats(tickets: TicketsDep,
               since: Annotated[str | None, Query(description="ISO 8601 date-time; default: all time",
                                                  json_schema_extra={"format": "date-time"})] = None,
               ) -> StatsPublic:
    """Counts, distributions, confidence, latency, review rate and accuracy against feedback, per day; and the
    outbox (pending, delivered, dead letters)."""
    stats, counts = tickets.stats(parse_datetime(since, "since") if since is not None else None)
    outbox = OutboxStatsPublic(enabled=tickets.outbox_enabled,
                               pending=counts.pending, delivered=counts.delivered, dead_letters=counts.dead)
    return StatsPublic(**stats.model_dump(), outbox=outbox)
