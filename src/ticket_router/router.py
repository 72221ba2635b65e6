"""The local engine: runs the 7 tools for each ticket and assembles the typed `Decision`.

Every ticket gets a decision. When a dependency fails (the model, the store), the router falls back to a safe
default for that part, and the decision is flagged for review with a reason naming what failed.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from ticket_router.domain import Category, Customer, Decision, Outage, Ticket, utcnow
from ticket_router.model.base import Classifier
from ticket_router.model.keywords import KeywordClassifier
from ticket_router.policy import DEFAULT_POLICY, RoutingPolicy
from ticket_router.reasoning import build_reasoning
from ticket_router.store.base import PastTicket, Store
from ticket_router.store.unavailable import StoreUnavailable
from ticket_router.tools.classify import Classification, classify_many
from ticket_router.tools.customer import CustomerContext, check_vip_status
from ticket_router.tools.entities import Entities, extract_entities
from ticket_router.tools.history import History, get_historical_context
from ticket_router.tools.priority import PriorityAssessment, calculate_priority
from ticket_router.tools.routing import route_to_team
from ticket_router.tools.service_status import ServiceStatus, matching_outages
from ticket_router.tools.severity import assess_severity

if TYPE_CHECKING:
    from ticket_router.model.shadow import ShadowScorer
    from ticket_router.model.versions import ModelWatcher

log = logging.getLogger(__name__)


@dataclass
class TicketContext:
    """What the tools know about a ticket apart from its category: gathered before any model is asked."""

    entities: Entities
    customer: CustomerContext
    status: ServiceStatus
    history: History
    review_reasons: list[str] = field(default_factory=list)


@dataclass
class BatchContext:
    """Looked up once per batch rather than once per ticket: outages, regions, and the batch's customers and
    their histories (so the customer and history tools read from memory, not one query per ticket)."""

    now: datetime
    active_outages: list[Outage]
    regions: list[str]
    customers: dict[str, Customer] = field(default_factory=dict)
    histories: dict[str, list[PastTicket]] = field(default_factory=dict)
    review_reasons: list[str] = field(default_factory=list)
    prefetched: bool = False

    def get_customer(self, customer_id: str) -> Customer | None:
        return self.customers.get(customer_id)

    def customer_history(self, customer_id: str, since: datetime, limit: int = 20) -> list[PastTicket]:
        return [past for past in self.histories.get(customer_id, []) if past.created_at >= since][:limit]


class Router:
    engine_name = "local"

    def __init__(
        self,
        classifier: Classifier,
        store: Store,
        policy: RoutingPolicy = DEFAULT_POLICY,
        clock: Callable[[], datetime] = utcnow,
        fallback: Classifier | None = None,
        regions_ttl_s: float = 60.0,
        shadow: ShadowScorer | None = None,
    ) -> None:
        # Swapped in one assignment when another version is promoted (model/versions.py `ModelWatcher`); a batch
        # reads it once, so all its decisions come from one model.
        self.classifier = classifier
        self.shadow = shadow
        self.watcher: ModelWatcher | None = None  # set by bootstrap when the store keeps model versions
        self.store = store
        self.policy = policy
        self.clock = clock
        self.fallback = fallback or KeywordClassifier()
        # The region names looked for in ticket text change rarely but cost a scan of the customers: read them at
        # most once a minute. Outages are read for every batch, so a new outage counts at once.
        self.regions_ttl_s = regions_ttl_s
        self._regions: tuple[float, list[str]] | None = None

    # public ----------------------------------------------------------------------------------------------
    def route(self, ticket: Ticket, save: bool = True) -> Decision:
        return self.route_many([ticket], save=save)[0]

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]:
        """Route a batch: one model call, one outage lookup, one write; decisions in input order."""
        if not tickets:
            return []
        started = time.perf_counter()
        batch = self.batch_context(tickets)
        classifications, model_reasons = self.classify([t.text for t in tickets])
        shared_ms = (time.perf_counter() - started) * 1000 / len(tickets)
        decisions = []
        for ticket, classification in zip(tickets, classifications):
            own_start = time.perf_counter()
            context = self.gather(ticket, batch)
            decision = self.assemble(
                ticket, classification, context, batch.now, extra_review_reasons=model_reasons,
                started_ms=shared_ms, own_start=own_start,
            )
            decisions.append(decision)
        if save:
            self.store.save_decisions(list(zip(tickets, decisions)))
            if self.shadow is not None:
                self.shadow.score(list(zip(tickets, decisions)))
        return decisions

    # stages ----------------------------------------------------------------------------------------------
    def batch_context(self, tickets: Sequence[Ticket] = ()) -> BatchContext:
        now = self.clock()
        try:
            batch = BatchContext(now=now, active_outages=self.store.list_outages(active_at=now),
                                 regions=self.known_regions())
        except Exception as error:  # noqa: BLE001 - any store failure must still give a decision
            log.warning("outage lookup failed: %s", type(error).__name__)
            unavailable = isinstance(error, StoreUnavailable)
            reason = str(error) if unavailable else f"outage lookup failed ({type(error).__name__})"
            return BatchContext(now=now, active_outages=[], regions=[], review_reasons=[reason])
        ids = sorted({t.customer_id for t in tickets if t.customer_id})
        try:
            batch.customers = self.store.get_customers(ids)
            since = now - timedelta(days=self.policy.repeat_contact_days)
            batch.histories = self.store.customer_histories(ids, since)
            batch.prefetched = True
        except Exception as error:  # noqa: BLE001 - fall back to per-ticket lookups, which flag their failures
            log.warning("batch customer prefetch failed: %s", type(error).__name__)
        return batch

    def known_regions(self) -> list[str]:
        cached, started = self._regions, time.monotonic()
        if cached is not None and started - cached[0] < self.regions_ttl_s:
            return cached[1]
        regions = self.store.known_regions()
        self._regions = (started, regions)
        return regions

    def classify(self, texts: list[str]) -> tuple[list[Classification], list[str]]:
        try:
            return classify_many(texts, self.classifier, self.policy), []
        except Exception as error:  # noqa: BLE001 - a broken model falls back to keywords, flagged
            log.warning("classifier failed, using keyword fallback: %s", type(error).__name__)
            reason = f"model {self.classifier.info.name} failed ({type(error).__name__}); keyword fallback used"
            return classify_many(texts, self.fallback, self.policy), [reason]

    def gather(self, ticket: Ticket, batch: BatchContext) -> TicketContext:
        reasons = list(batch.review_reasons)
        entities = extract_entities(ticket.text, batch.regions)
        try:
            customer = check_vip_status(ticket.customer_id, batch if batch.prefetched else self.store)
        except Exception as error:  # noqa: BLE001
            reasons.append(f"customer lookup failed ({type(error).__name__})")
            customer = CustomerContext(customer_id=ticket.customer_id, known=False)
        try:
            history = get_historical_context(
                ticket.customer_id, batch if batch.prefetched else self.store, batch.now, self.policy
            )
        except Exception as error:  # noqa: BLE001
            reasons.append(f"history lookup failed ({type(error).__name__})")
            history = History(customer_id=ticket.customer_id, window_days=self.policy.repeat_contact_days)
        region = customer.region or entities.region
        status = ServiceStatus(
            region=region,
            services=entities.services,
            matching_outages=matching_outages(batch.active_outages, region, entities.services, batch.now),
        )
        return TicketContext(entities=entities, customer=customer, status=status, history=history,
                             review_reasons=reasons)

    def priority(self, ticket: Ticket, category: Category, context: TicketContext, now: datetime) -> PriorityAssessment:
        """The priority of `ticket` if it has `category`: its severity, the customer, outages, age and history."""
        severity = assess_severity(ticket.text, category, self.policy)
        age_hours = max((now - ticket.created_at).total_seconds() / 3600, 0.0)
        return calculate_priority(severity, context.customer, context.status, age_hours, context.history,
                                  self.policy, same_category_before=context.history.same_category(category))

    def assemble(
        self,
        ticket: Ticket,
        classification: Classification,
        context: TicketContext,
        now: datetime,
        *,
        extra_review_reasons: Sequence[str] = (),
        evidence: list[str] | None = None,
        engine: str | None = None,
        llm: dict | None = None,  # type: ignore[type-arg]
        started_ms: float = 0.0,
        own_start: float | None = None,
    ) -> Decision:
        """Turn a classification plus context into the final decision: priority, routing, reasoning."""
        own_start = own_start if own_start is not None else time.perf_counter()
        priority = self.priority(ticket, classification.category, context, now)
        routing = route_to_team(
            classification.probabilities, self.policy, [*extra_review_reasons, *context.review_reasons],
            classification.doubts,
        )
        reasoning = build_reasoning(
            classification, routing, context.entities, context.customer, context.status, context.history,
            priority, evidence,
        )
        return Decision(
            decision_id=uuid.uuid4().hex,
            ticket_id=ticket.ticket_id,
            customer_id=ticket.customer_id,
            team=routing.team,
            category=classification.category,
            priority=priority.priority,
            confidence=routing.confidence,
            needs_review=routing.needs_review,
            review_reasons=routing.review_reasons,
            alternatives=routing.alternatives,
            secondary_categories=classification.secondary,
            reasoning=reasoning,
            entities=context.entities.model_dump(mode="json"),
            priority_factors=priority.factors,
            priority_score=priority.score,
            vip=context.customer.vip,
            active_outages=[o.outage_id for o in context.status.matching_outages],
            prior_tickets=len(context.history.recent),
            engine=engine or self.engine_name,
            model=classification.model,
            policy_version=self.policy.version,
            processing_ms=round(started_ms + (time.perf_counter() - own_start) * 1000, 3),
            decided_at=now,
            llm=llm,
        )
