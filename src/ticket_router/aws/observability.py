"""Powertools' structured logger and EMF metrics for the handlers, made on first use (not at import).

Log lines carry ids, teams, priorities and latencies, never ticket text. Metrics (namespace `TicketRouter`):
`RoutingLatency` (ms) and `Confidence` per decision, `NeedsReview` (0 or 1: its average is the review rate),
`TicketsRouted`, and ticket counts by `team` and by `priority` as dimensions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING

from ticket_router.aws.contract import METRICS_NAMESPACE, SERVICE_NAME
from ticket_router.domain import Decision

if TYPE_CHECKING:
    from aws_lambda_powertools import Logger, Metrics


@cache
def logger() -> Logger:
    """At TICKET_ROUTER_LOG_LEVEL (the stack sets INFO)."""
    from aws_lambda_powertools import Logger

    from ticket_router.settings import get_settings

    return Logger(service=SERVICE_NAME, level=get_settings().log_level.upper())


@cache
def metrics() -> Metrics:
    from aws_lambda_powertools import Metrics

    return Metrics(namespace=METRICS_NAMESPACE, service=SERVICE_NAME)


def decision_fields(decision: Decision) -> dict[str, object]:
    """What a log line says about a decision: no ticket text, no reasoning."""
    return {"ticket_id": decision.ticket_id, "decision_id": decision.decision_id, "team": decision.team.value,
            "priority": decision.priority.value, "confidence": round(decision.confidence, 3),
            "needs_review": decision.needs_review, "engine": decision.engine,
            "latency_ms": round(decision.processing_ms, 2)}


def record_decisions(decisions: Sequence[Decision]) -> None:
    """Add the batch's new decisions to the invocation's metrics; per-team and per-priority counts go out as one
    EMF document per value (a dimension each)."""
    from aws_lambda_powertools.metrics import MetricUnit, single_metric

    if not decisions:
        return
    emf = metrics()
    for decision in decisions:
        emf.add_metric(name="RoutingLatency", unit=MetricUnit.Milliseconds, value=decision.processing_ms)
        emf.add_metric(name="Confidence", unit=MetricUnit.NoUnit, value=decision.confidence)
        emf.add_metric(name="NeedsReview", unit=MetricUnit.Count, value=int(decision.needs_review))
    emf.add_metric(name="TicketsRouted", unit=MetricUnit.Count, value=len(decisions))
    for dimension, counts in (("team", Counter(d.team.value for d in decisions)),
                              ("priority", Counter(d.priority.value for d in decisions))):
        for value, count in sorted(counts.items()):
            with single_metric(name=f"TicketsBy{dimension.title()}", unit=MetricUnit.Count, value=count,
                               namespace=METRICS_NAMESPACE) as metric:
                metric.add_dimension(name=dimension, value=value)


def count(name: str, value: int = 1) -> None:
    from aws_lambda_powertools.metrics import MetricUnit

    metrics().add_metric(name=name, unit=MetricUnit.Count, value=value)


def reset() -> None:
    logger.cache_clear()
    metrics.cache_clear()
