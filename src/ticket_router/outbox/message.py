"""What the ticketing system receives for a decision: a vendor-neutral JSON document."""

from __future__ import annotations

import json
from datetime import datetime

from ticket_router.domain import Decision
from ticket_router.store.service import OutboundMessage


def message_body(decision: Decision) -> dict[str, object]:
    """The fields the ticketing system needs to act; `decided_at` lets it ignore a late, older decision."""
    return {
        "ticket_id": decision.ticket_id,
        "decision_id": decision.decision_id,
        "team": decision.team.value,
        "priority": decision.priority.value,
        "category": decision.category.value,
        "confidence": decision.confidence,
        "reasoning": decision.reasoning,
        "needs_review": decision.needs_review,
        "review_reasons": list(decision.review_reasons),
        "decided_at": decision.decided_at.isoformat(),
        "engine": decision.engine,
        "model": f"{decision.model.name}/{decision.model.version}",
        "policy_version": decision.policy_version,
    }


def build_message(decision: Decision, now: datetime) -> OutboundMessage:
    return OutboundMessage(decision_id=decision.decision_id, ticket_id=decision.ticket_id,
                           payload=json.dumps(message_body(decision), separators=(",", ":")), created_at=now)
