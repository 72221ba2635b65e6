"""Analytics: the figures over a chosen period, from the stored decisions and agents' feedback."""

from __future__ import annotations

from datetime import date, timedelta

from dashboardtest import Dashboard, assert_clean, screen
from ticket_router.domain import Feedback, Team, Ticket, utcnow
from ticket_router.stats import compute_stats


def _routed(dashboard: Dashboard, days_ago: int, count: int, prefix: str) -> None:
    at = utcnow() - timedelta(days=days_ago)
    tickets = [Ticket(ticket_id=f"{prefix}-{i}", subject="Charged twice", description=f"Invoice INV-{i} twice",
                      created_at=at) for i in range(count)]
    dashboard.route(tickets, at=at)


def test_the_figures_are_those_of_the_stored_decisions_in_the_period(dashboard: Dashboard) -> None:
    _routed(dashboard, 2, 4, "A")
    _routed(dashboard, 20, 3, "B")
    dashboard.store.save_feedback(Feedback(ticket_id="A-0", team=Team.BILLING_SUPPORT))
    dashboard.store.save_feedback(Feedback(ticket_id="A-1", team=Team.TECHNICAL_SUPPORT))

    app = dashboard.page("analytics")
    assert_clean(app)
    expected = compute_stats(dashboard.store.list_decision_rows(since=utcnow() - timedelta(days=30)),
                             dashboard.store.list_feedback())
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Tickets"] == f"{expected.count:,}" and expected.count >= 7  # 7 routed + demo history
    assert metrics["With feedback"] == "2" and metrics["Team accuracy"] == "50.0%"
    assert metrics["Review rate"] == f"{expected.review_rate:.0%}"
    titles = screen(app)
    for chart in ("Tickets per day, by team", "Team share", "Priority", "Category", "Confidence",
                  "Accuracy against agents' feedback", "Predicted vs actual team", "Review rate per day", "Latency"):
        assert f"##### {chart}" in titles
    assert len(app.get("plotly_chart")) == 9

    app.segmented_control(key="analytics.period").set_value("7 days").run()
    assert_clean(app)
    week = {m.label: m.value for m in app.metric}
    in_week = compute_stats(dashboard.store.list_decision_rows(since=utcnow() - timedelta(days=7)), [])
    assert week["Tickets"] == f"{in_week.count:,}" and in_week.count < expected.count  # the B tickets drop out


def test_a_period_without_tickets_says_what_to_do(dashboard: Dashboard) -> None:
    app = dashboard.page("analytics")
    app.segmented_control(key="analytics.period").set_value("Custom…").run()
    app.date_input(key="analytics.range").set_value((date(2020, 1, 1), date(2020, 1, 7))).run()

    assert_clean(app)
    assert not app.metric and not app.get("plotly_chart")
    assert any("No tickets were routed between 01 Jan 2020 and 07 Jan 2020" in i.value for i in app.info)


def test_a_custom_range_counts_whole_days(dashboard: Dashboard) -> None:
    _routed(dashboard, 3, 2, "C")
    day = (utcnow() - timedelta(days=3)).date()
    app = dashboard.page("analytics")
    app.segmented_control(key="analytics.period").set_value("Custom…").run()
    app.date_input(key="analytics.range").set_value((day, day)).run()

    assert_clean(app)
    rows = [r for r in dashboard.store.list_decision_rows() if r.decided_at.date() == day]
    assert {m.label: m.value for m in app.metric}["Tickets"] == str(len({r.ticket_id for r in rows}))


def test_without_feedback_the_accuracy_panels_explain_how_to_get_it(dashboard: Dashboard) -> None:
    app = dashboard.page("analytics")

    assert_clean(app)
    assert {m.label: m.value for m in app.metric}["Team accuracy"] == "—"
    shown = screen(app)
    assert "Accept or correct tickets in the **Review queue**" in shown
    assert "The confusion matrix fills in as agents confirm or correct teams" in shown
