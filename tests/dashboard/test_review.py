"""Review queue: unsure tickets, highest priority then oldest first; accept or correct, stored as feedback that the
Analytics page measures accuracy against."""

from __future__ import annotations

from datetime import timedelta

from dashboardtest import Dashboard, assert_clean, screen
from ticket_router.domain import Team, Ticket, utcnow
from ticket_router.policy import RoutingPolicy

# (ticket id, customer, subject, description, routed hours ago)
TICKETS = [
    ("R-OLD", None, "Slow mobile data", "My phone data has been slow for a week", 30),
    ("R-P0", "C-1001", "Internet down", "Fibre down at the North office, all staff offline", 1),
    ("R-MID", None, "Bill question", "Why did my bill go up this month?", 10),
]


def _route_for_review(dashboard: Dashboard) -> None:
    now = utcnow()
    for ticket_id, customer, subject, description, hours in TICKETS:
        at = now - timedelta(hours=hours)
        ticket = Ticket(ticket_id=ticket_id, subject=subject, description=description, customer_id=customer,
                        created_at=at)
        dashboard.route([ticket], at=at, flag=True)


def _queue_order(app, dashboard: Dashboard) -> list[str]:  # type: ignore[no-untyped-def]
    """The tickets on screen, top to bottom, by their accept buttons."""
    by_decision = {d.decision_id: d.ticket_id for d in dashboard.store.list_decisions()}
    return [by_decision[b.key.removeprefix("accept-")] for b in app.button if (b.key or "").startswith("accept-")]


def test_the_queue_lists_highest_priority_then_oldest_first(dashboard: Dashboard) -> None:
    app = dashboard.page("review")
    assert_clean(app)
    assert "Nothing to review" in screen(app)  # the empty state says how tickets get here

    _route_for_review(dashboard)
    app = dashboard.page("review")

    assert_clean(app)
    decisions = {t: dashboard.store.get_decision(t) for t, *_ in TICKETS}
    assert all(d is not None and d.needs_review for d in decisions.values())
    assert decisions["R-P0"].priority.value == "P0"  # type: ignore[union-attr]
    expected = sorted(decisions, key=lambda t: (decisions[t].priority.level, decisions[t].decided_at))  # type: ignore[union-attr]
    assert expected[0] == "R-P0"
    assert _queue_order(app, dashboard) == expected
    assert "**3** ticket(s) waiting" in screen(app)


def test_accepting_and_correcting_store_feedback_that_shows_in_the_accuracy(dashboard: Dashboard) -> None:
    _route_for_review(dashboard)
    p0 = dashboard.store.get_decision("R-P0")
    bill = dashboard.store.get_decision("R-MID")
    assert p0 is not None and bill is not None and bill.team == Team.BILLING_SUPPORT

    app = dashboard.page("review")
    app.text_input(key="review.agent").input("dana")
    app.button(key=f"accept-{p0.decision_id}").click().run()

    assert_clean(app)
    assert f"Accepted {p0.team.value} for R-P0" in screen(app)
    assert "R-P0" not in _queue_order(app, dashboard) and "**2** ticket(s) waiting" in screen(app)

    team = app.selectbox(key=f"team-{bill.decision_id}")
    team.select_index(RoutingPolicy().teams.index(Team.ACCOUNT_MANAGEMENT))
    app.selectbox(key=f"priority-{bill.decision_id}").select_index(3)  # P3
    app.button(key=f"correct-{bill.decision_id}").click().run()

    assert_clean(app)
    assert "Corrected R-MID to Account Management, P3" in screen(app)
    feedback = {f.ticket_id: f for f in dashboard.store.list_feedback()}
    assert feedback["R-P0"].team == p0.team and feedback["R-P0"].priority == p0.priority
    assert feedback["R-MID"].team == Team.ACCOUNT_MANAGEMENT and feedback["R-MID"].priority.value == "P3"  # type: ignore[union-attr]
    assert feedback["R-P0"].agent == feedback["R-MID"].agent == "dana"
    assert _queue_order(app, dashboard) == ["R-OLD"]

    analytics = dashboard.page("analytics")
    assert_clean(analytics)
    metrics = {m.label: m.value for m in analytics.metric}
    assert metrics["With feedback"] == "2"
    assert metrics["Team accuracy"] == "50.0%"  # one accepted, one corrected to another team
    assert "No feedback on these tickets yet" not in screen(analytics)
    assert "Predicted vs actual team" in screen(analytics)


def test_under_a_six_team_policy_the_queue_offers_its_teams_and_stores_a_correction_to_one(
        dashboard: Dashboard, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from ticket_router.policy_file import load_policy

    six = Path(__file__).resolve().parents[2] / "examples" / "six-teams.toml"
    monkeypatch.setenv("TICKET_ROUTER_POLICY", str(six))
    _route_for_review(dashboard)
    bill = dashboard.store.get_decision("R-MID")
    assert bill is not None

    app = dashboard.page("review")
    assert_clean(app)
    team = app.selectbox(key=f"team-{bill.decision_id}")
    assert [str(t) for t in team.options] == [t.value for t in load_policy(six).teams]  # the policy's six, in order
    team.select_index(5)
    app.button(key=f"correct-{bill.decision_id}").click().run()

    assert_clean(app)
    feedback = {f.ticket_id: f for f in dashboard.store.list_feedback()}
    assert feedback["R-MID"].team == Team("Retention")
    app = dashboard.page("analytics")
    assert_clean(app)  # a team of the policy's own draws in the charts with its colour
