"""The dispatcher-readable reasoning, written only from a decision's own typed parts (never parsed back)."""

from __future__ import annotations

from ticket_router.tools.classify import Classification
from ticket_router.tools.customer import CustomerContext
from ticket_router.tools.entities import Entities
from ticket_router.tools.history import History
from ticket_router.tools.priority import PriorityAssessment
from ticket_router.tools.routing import Routing
from ticket_router.tools.service_status import ServiceStatus


def build_reasoning(
    classification: Classification,
    routing: Routing,
    entities: Entities,
    customer: CustomerContext,
    status: ServiceStatus,
    history: History,
    priority: PriorityAssessment,
    evidence: list[str] | None = None,
) -> str:
    words = evidence if evidence is not None else classification.evidence
    cue = f" (cues: {', '.join(words)})" if words else ""
    lines = [f"{classification.category.value} → {routing.team.value}, confidence {routing.confidence:.2f}{cue}."]
    if classification.precedents:
        lines.append("Learned: " + "; ".join(classification.precedents) + ".")
    if classification.secondary:
        mentioned = []
        for category in classification.secondary:
            cues = classification.mentions.get(category)
            mentioned.append(f"{category.value} ({', '.join(cues)})" if cues else category.value)
        lines.append("Also mentions: " + "; ".join(mentioned) + ".")
    lines.append(f"Customer: {customer.describe()}.")
    if status.worst:
        worst = status.worst
        lines.append(f"Active {worst.severity.value} {worst.service.value} outage {worst.outage_id} in {worst.region}.")
    elif status.region:
        on = f" on {entities.service.value}" if entities.service else ""
        lines.append(f"No active outage{on} in {status.region}.")
    found = entities.summary()
    if found:
        lines.append("Found: " + "; ".join(found[:5]) + ".")
    if history.recent:
        lines.append(f"History: {history.describe()}.")
    factors = ", ".join(f"{name.replace('_', ' ')} {f.points:g}" for name, f in priority.factors.items())
    rules = f"; {'; '.join(priority.rules)}" if priority.rules else ""
    lines.append(f"Priority {priority.priority.value}: score {priority.score:g}/100 ({factors}){rules}.")
    if routing.needs_review:
        lines.append("Needs review: " + "; ".join(routing.review_reasons) + ".")
    return " ".join(lines)
