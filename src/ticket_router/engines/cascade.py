"""The cascade: the embedded model decides every ticket first; only the ones it is unsure of, or where the tools
disagree with it, go to the LLM agent. Most tickets never leave the machine, and cost nothing.

A ticket is escalated when
- its routing confidence is below the cascade threshold (default 0.70), or
- the tools disagree with the category: a non-service category (billing, account) from a customer inside an
  active outage that matches their region — the classic "why is my bill so high, nothing works" ticket that reads
  as billing but belongs to Network Operations. The outage must be on a service the ticket names, or, when it
  names none, be major or critical (a minor outage rarely explains a billing complaint), or
- the embedded model itself failed and the keyword fallback decided.
The rest keep their local decision (`engine="cascade"`, `llm=None`).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from ticket_router.domain import Category, Decision, Severity, Ticket
from ticket_router.engines.agent import AgentEngine, Prepared, prepare
from ticket_router.policy import DEFAULT_SERVICE_CATEGORIES
from ticket_router.router import Router

# Outages that make an unspecific non-service ticket suspect on their own.
SERIOUS = frozenset({Severity.MAJOR, Severity.CRITICAL})


def escalation_reason(item: Prepared, decision: Decision, threshold: float, model_failed: bool,
                      service_categories: Collection[Category] = DEFAULT_SERVICE_CATEGORIES) -> str | None:
    """Why the embedded model's decision should be checked by the LLM, or None to keep it."""
    if model_failed:
        return "embedded model unavailable"
    if decision.confidence < threshold:
        return f"confidence {decision.confidence:.2f} below {threshold:.2f}"
    status = item.context.status
    outage = status.worst
    if outage is None or item.local.category in service_categories:
        return None
    if status.services or outage.severity in SERIOUS:  # matched on a named service, or serious enough
        return f"{item.local.category.value} ticket from a customer inside active outage {outage.outage_id}"
    return None


class CascadeEngine:
    name = "cascade"

    def __init__(self, router: Router, agent: AgentEngine, threshold: float = 0.70) -> None:
        self.router = router
        self.agent = agent
        self.threshold = threshold

    def route(self, ticket: Ticket, save: bool = True) -> Decision:
        return self.route_many([ticket], save=save)[0]

    def route_many(self, tickets: Sequence[Ticket], save: bool = True) -> list[Decision]:
        if not tickets:
            return []
        router = self.router
        batch, prepared, model_reasons = prepare(router, tickets)
        decisions = [router.assemble(p.ticket, p.local, p.context, batch.now, extra_review_reasons=model_reasons,
                                     engine=self.name) for p in prepared]
        escalate: list[tuple[int, str]] = []
        for index, (item, decision) in enumerate(zip(prepared, decisions)):
            reason = escalation_reason(item, decision, self.threshold, bool(model_reasons),
                                       router.policy.service_categories)
            if reason is not None:
                escalate.append((index, reason))
        if escalate:
            checked = self.agent.decide(
                [prepared[i] for i, _ in escalate], batch, model_reasons, engine=self.name,
                notes=[{"escalation": reason} for _, reason in escalate],
            )
            for (index, _), decision in zip(escalate, checked):
                decisions[index] = decision
        if save:
            router.store.save_decisions(list(zip(tickets, decisions)))
        return decisions
