"""Shadow comparison and per-day accuracy per model against feedback."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW

from ticket_router.domain import Feedback, Team
from ticket_router.model.compare import compare_shadow, daily_accuracy
from ticket_router.store.versions import ModelDecision, ShadowPrediction


def _shadow(ticket: str, team: str, active: str, at=NOW) -> ShadowPrediction:  # type: ignore[no-untyped-def]
    return ShadowPrediction(ticket_id=ticket, decision_id=f"d-{ticket}", model_name="m", model_version="s1",
                            team=team, category="x", confidence=0.9, predicted_at=at, active_team=active,
                            active_model="m/1")


B, N, A = "Billing Support", "Network Operations", "Account Management"


def test_agreement_and_accuracy_on_the_same_judged_tickets():
    predictions = [_shadow("1", B, B), _shadow("2", N, B), _shadow("3", A, A), _shadow("4", N, N)]
    feedback = [Feedback(ticket_id="2", team=Team.BILLING_SUPPORT, created_at=NOW),
                Feedback(ticket_id="2", team=Team.NETWORK_OPERATIONS, created_at=NOW + timedelta(1)),
                Feedback(ticket_id="3", team=Team.ACCOUNT_MANAGEMENT, created_at=NOW)]
    report = compare_shadow("s1", predictions, feedback)
    assert (report.tickets, report.agreement, report.judged) == (4, 0.75, 2)
    assert (report.shadow_accuracy, report.active_accuracy) == (1.0, 0.5)
    assert compare_shadow("s1", [], feedback).agreement is None


def test_daily_accuracy_per_model_counts_the_latest_decision_per_ticket():
    decisions = [
        ModelDecision(ticket_id="1", decided_at=NOW, team=N, model_name="m", model_version="1"),
        ModelDecision(ticket_id="1", decided_at=NOW + timedelta(hours=1), team=B, model_name="m", model_version="2"),
        ModelDecision(ticket_id="2", decided_at=NOW + timedelta(days=1), team=N, model_name="m", model_version="1"),
        ModelDecision(ticket_id="3", decided_at=NOW, team=N, model_name="m", model_version="1"),  # not judged
    ]
    feedback = [Feedback(ticket_id="1", team=Team.BILLING_SUPPORT, created_at=NOW),
                Feedback(ticket_id="2", team=Team.BILLING_SUPPORT, created_at=NOW)]
    rows = daily_accuracy(decisions, [_shadow("2", B, N, NOW + timedelta(days=1))], feedback)
    assert [(r.day.isoformat(), r.model, r.shadow, r.judged, r.accuracy) for r in rows] == [
        ("2026-11-25", "m/2", False, 1, 1.0),
        ("2026-11-26", "m/1", False, 1, 0.0),
        ("2026-11-26", "m/s1", True, 1, 1.0),
    ]
