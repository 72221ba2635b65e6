"""Route a ticket: the form routes one ticket with the real router, stores it, and lays the decision out."""

from __future__ import annotations

from dashboardtest import Dashboard, assert_clean, screen

OUTAGE_TICKET = ("Internet down at the North office",
                 "Our fibre went down at 07:50 and all 85 staff are offline. The router shows the WAN link down.")


def _fill(app, subject: str, description: str, customer: str = "") -> None:  # type: ignore[no-untyped-def]
    app.text_input(key="route.subject").input(subject)
    app.text_area(key="route.description").input(description)
    app.selectbox(key="route.customer").select(customer)
    next(b for b in app.button if b.label == "Route ticket").click().run()


def test_routing_a_ticket_shows_and_stores_the_decision(dashboard: Dashboard) -> None:
    app = dashboard.page("route")
    assert_clean(app)
    assert "press **Route ticket**" in screen(app)  # the empty state says what to do

    _fill(app, *OUTAGE_TICKET, customer="C-1001")

    assert_clean(app)
    stored = dashboard.store.list_decisions()
    routed = [d for d in stored if d.ticket_id.startswith("WEB-")]
    assert len(routed) == 1
    decision = routed[0]
    assert decision.team.value == "Network Operations" and decision.customer_id == "C-1001"
    # a VIP customer with a service-affecting issue during the North internet outage
    assert decision.priority.value == "P0" and "OUT-2026-1101" in decision.active_outages
    ticket = dashboard.store.get_ticket(decision.ticket_id)
    assert ticket is not None and ticket.channel == "dashboard"

    shown = screen(app)
    assert "Network Operations" in shown and "P0" in shown and "Network Outage" in shown
    assert f"{decision.confidence:.2f}" in shown
    assert "Northwind Logistics Ltd" in shown and "VIP" in shown  # the customer, from the picked id
    assert "Priority factors" in shown and "Reasoning" in shown
    factors = app.dataframe[0].value
    assert list(factors["Factor"]) == ["VIP status", "Issue severity", "Ticket age", "Outage status"]
    assert abs(factors["Points"].sum() - decision.priority_score) < 0.5
    assert len(app.get("plotly_chart")) == 1  # the team-confidence chart with the alternatives


def test_the_sidebar_threshold_decides_what_goes_to_review(dashboard: Dashboard) -> None:
    text = ("Question", "My phone is slow and the bill went up")  # confidence about 0.77
    app = dashboard.page("route")
    _fill(app, *text)
    app.slider(key="cfg.threshold").set_value(0.95).run()
    _fill(app, *text)

    assert_clean(app)
    first, second = sorted((d for d in dashboard.store.list_decisions() if d.ticket_id.startswith("WEB-")),
                           key=lambda d: d.decided_at)
    assert 0.70 <= first.confidence < 0.95 and second.confidence == first.confidence
    assert not first.needs_review and second.needs_review  # same ticket, only the threshold moved
    assert second.policy_version.endswith("+review0.95")
    assert any("Sent to the review queue" in w.value for w in app.warning)
    assert "review below 0.95" in screen(app)


def test_a_blank_ticket_is_refused_with_a_message_and_not_stored(dashboard: Dashboard) -> None:
    app = dashboard.page("route")
    _fill(app, "   ", "")

    assert not app.exception
    assert any("Write a subject or a description" in w.value for w in app.warning)
    assert not [d for d in dashboard.store.list_decisions() if d.ticket_id.startswith("WEB-")]


def test_customer_text_is_shown_as_text_never_as_markup(dashboard: Dashboard) -> None:
    app = dashboard.page("route")
    _fill(app, "No signal **at all** <img src=http://example.com/x.png>",
          "[click here](http://example.com) $x^2$ :red[alarm] no signal since the storm")

    assert_clean(app)
    source = screen(app, raw=True)
    for markup in ("<img", "**at all**", "[click here](", "$x^2$", ":red["):
        assert markup not in source
    # still readable: character references the browser shows as the characters the customer typed
    assert "No signal **at all** <img src=http://example.com/x.png>" in screen(app)
