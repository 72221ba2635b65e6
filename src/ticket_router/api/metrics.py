"""Prometheus metrics for one app, in the app's own registry (no global state: tests build many apps)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from ticket_router.domain import Decision
from ticket_router.store.service import OutboxCounts

LATENCY_BUCKETS = (0.005, 0.01, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0)


def _total(counter: Counter) -> float:
    """A counter's value summed over its labels."""
    return sum(s.value for metric in counter.collect() for s in metric.samples if s.name.endswith("_total"))


class _Derived(Collector):
    """Values computed at scrape time: the review rate, and the outbox depth read from the store."""

    def __init__(self, metrics: Metrics, outbox_counts: Callable[[], OutboxCounts] | None) -> None:
        self.metrics = metrics
        self.outbox_counts = outbox_counts

    def collect(self) -> Iterable[Metric]:
        decided, reviewed = _total(self.metrics.decisions), _total(self.metrics.reviews)
        yield GaugeMetricFamily("ticket_router_review_rate",
                                "Share of this process's decisions flagged for human review",
                                value=reviewed / decided if decided else 0.0)
        if self.outbox_counts is None:
            return
        try:
            counts = self.outbox_counts()
        except Exception:  # noqa: BLE001 - a scrape must not fail because the database is briefly away
            return
        yield GaugeMetricFamily("ticket_router_outbox_depth", "Outbox messages not yet delivered",
                                value=counts.pending)
        yield GaugeMetricFamily("ticket_router_outbox_dead_letters", "Messages in the dead-letter table",
                                value=counts.dead)


class Metrics:
    def __init__(self, outbox_counts: Callable[[], OutboxCounts] | None = None) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("ticket_router_http_requests", "HTTP requests", ["method", "route", "status"],
                                registry=r)
        self.latency = Histogram("ticket_router_http_request_duration_seconds", "HTTP request latency",
                                 ["method", "route"], buckets=LATENCY_BUCKETS, registry=r)
        self.decisions = Counter("ticket_router_decisions", "Routing decisions made", ["team", "priority"],
                                 registry=r)
        self.reviews = Counter("ticket_router_decisions_needing_review", "Decisions flagged for review", registry=r)
        self.deliveries = Counter("ticket_router_outbox_deliveries", "Delivery attempts to the ticketing system",
                                  ["outcome"], registry=r)
        self.delivery_failures = Counter("ticket_router_outbox_delivery_failures",
                                         "Failed delivery attempts (retried or dead-lettered)", registry=r)
        r.register(_Derived(self, outbox_counts))

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def record_decisions(self, decisions: Sequence[Decision]) -> None:
        reviewed = 0
        for decision in decisions:
            self.decisions.labels(decision.team.value, decision.priority.value).inc()
            reviewed += decision.needs_review
        if reviewed:
            self.reviews.inc(reviewed)

    def record_delivery(self, outcome: str) -> None:
        self.deliveries.labels(outcome).inc()
        if outcome != "delivered":
            self.delivery_failures.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
