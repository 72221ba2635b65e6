"""Which open tickets an outage affects."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ticket_router.dashboard.impact import affected_tickets
from ticket_router.domain import (Category, Customer, Decision, Feedback, ModelInfo, Outage, Priority, Service,
                                  Severity, Team)
from ticket_router.stats import unjudged

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
OUTAGE = Outage(outage_id="OUT-1", service=Service.INTERNET, region="North", severity=Severity.MAJOR,
                started_at=NOW - timedelta(hours=3))
CUSTOMERS = {"C-N": Customer(customer_id="C-N", region="North"), "C-S": Customer(customer_id="C-S", region="South")}


def _decision(ticket_id: str, customer: str | None = None, category: Category = Category.NETWORK_OUTAGE,
              priority: Priority = Priority.P2, hours_ago: float = 1, **entities: object) -> Decision:
    return Decision(decision_id=f"d-{ticket_id}-{hours_ago}", ticket_id=ticket_id, customer_id=customer,
                    team=Team.NETWORK_OPERATIONS, category=category, priority=priority, confidence=0.9,
                    needs_review=False, alternatives=[], reasoning="", entities=dict(entities), priority_factors={},
                    priority_score=0.0, model=ModelInfo(name="m", version="1"), policy_version="p", processing_ms=1.0,
                    decided_at=NOW - timedelta(hours=hours_ago))


def _ids(decisions: list[Decision]) -> list[str]:
    return [d.ticket_id for d in decisions]


def test_region_comes_from_the_customer_else_from_the_text() -> None:
    decisions = [_decision("by-customer", "C-N"), _decision("by-text", region="North"),
                 _decision("customer-elsewhere", "C-S", region="North"), _decision("nowhere")]
    assert sorted(_ids(affected_tickets(OUTAGE, decisions, CUSTOMERS, NOW))) == ["by-customer", "by-text"]


def test_the_service_must_match_unless_the_ticket_names_none() -> None:
    decisions = [_decision("internet", "C-N", services=["internet"]), _decision("mobile", "C-N", services=["mobile"]),
                 _decision("unnamed", "C-N", services=[]), _decision("odd", "C-N", services=["carrier pigeon"])]
    assert sorted(_ids(affected_tickets(OUTAGE, decisions, CUSTOMERS, NOW))) == ["internet", "odd", "unnamed"]


def test_billing_and_account_tickets_are_not_affected() -> None:
    decisions = [_decision("bill", "C-N", Category.BILLING_DISPUTE), _decision("login", "C-N", Category.ACCOUNT_ACCESS),
                 _decision("broken", "C-N", Category.TECHNICAL_PROBLEM)]
    assert _ids(affected_tickets(OUTAGE, decisions, CUSTOMERS, NOW)) == ["broken"]


def test_highest_priority_first_then_newest() -> None:
    decisions = [_decision("p2-old", "C-N", hours_ago=5), _decision("p1", "C-N", priority=Priority.P1, hours_ago=6),
                 _decision("p2-new", "C-N", hours_ago=1)]
    assert _ids(affected_tickets(OUTAGE, decisions, CUSTOMERS, NOW)) == ["p1", "p2-new", "p2-old"]


def test_a_resolved_outage_affects_nothing() -> None:
    ended = OUTAGE.model_copy(update={"ended_at": NOW - timedelta(minutes=1)})
    assert affected_tickets(ended, [_decision("a", "C-N")], CUSTOMERS, NOW) == []


def test_open_means_latest_decision_and_no_feedback_yet() -> None:
    decisions = [_decision("judged", "C-N"), _decision("rerouted", "C-N", hours_ago=3),
                 _decision("rerouted", "C-N", Category.TECHNICAL_PROBLEM, hours_ago=1)]
    open_now = unjudged(decisions, [Feedback(ticket_id="judged", team=Team.NETWORK_OPERATIONS)])
    assert [(d.ticket_id, d.category) for d in open_now] == [("rerouted", Category.TECHNICAL_PROBLEM)]
