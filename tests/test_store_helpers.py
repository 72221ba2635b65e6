"""Builders for stored decisions (no routing needed)."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW, ticket

from ticket_router.domain import Category, Decision, ModelInfo, Outage, Priority, Service, Severity, Team, Ticket


def decision(ticket_id: str, decision_id: str | None = None) -> Decision:
    return Decision(decision_id=decision_id or f"d-{ticket_id}", ticket_id=ticket_id, team=Team.BILLING_SUPPORT,
                    category=Category.BILLING_DISPUTE, priority=Priority.P2, confidence=0.9, needs_review=False,
                    alternatives=[], reasoning="r", entities={}, priority_factors={}, priority_score=1.0,
                    model=ModelInfo(name="m", version="1"), policy_version="p", processing_ms=1.0, decided_at=NOW)


def ticket_for(ticket_id: str) -> Ticket:
    return ticket("billing question", ticket_id=ticket_id)


def outage(outage_id: str, region: str, service: Service, started: int, ended: int | None = None) -> Outage:
    return Outage(outage_id=outage_id, service=service, region=region, severity=Severity.MAJOR,
                  started_at=NOW - timedelta(hours=started),
                  ended_at=None if ended is None else NOW - timedelta(hours=ended))
