"""Customer history on both backends: the newest tickets per customer, each with its latest decision."""

from __future__ import annotations

from datetime import timedelta

from conftest import NOW
from test_store_helpers import decision

from ticket_router.domain import Category, Team, Ticket


def test_each_customer_gets_their_newest_tickets_with_the_latest_decision(service_store):
    items = []
    for n in range(30):  # C-A: 30 tickets an hour apart; C-B: one
        made = Ticket(ticket_id=f"A{n:02d}", description="bill", customer_id="C-A", created_at=NOW - timedelta(hours=n))
        items.append((made, decision(made.ticket_id)))
    old = Ticket(ticket_id="A-OLD", description="bill", customer_id="C-A", created_at=NOW - timedelta(days=40))
    other = Ticket(ticket_id="B00", description="bill", customer_id="C-B", created_at=NOW)
    items += [(old, decision("A-OLD")), (other, decision("B00"))]
    service_store.save_decisions(items)
    rerouted = decision("A00").model_copy(update={"decision_id": "again", "team": Team.NETWORK_OPERATIONS,
                                                  "category": Category.NETWORK_OUTAGE,
                                                  "decided_at": NOW + timedelta(minutes=5)})
    service_store.save_decisions([(items[0][0], rerouted)])

    found = service_store.customer_histories(["C-A", "C-B", "C-NONE"], since=NOW - timedelta(days=30), limit=20)
    assert set(found) == {"C-A", "C-B"}
    assert [p.ticket_id for p in found["C-A"]] == [f"A{n:02d}" for n in range(20)]
    assert found["C-A"][0].team == Team.NETWORK_OPERATIONS  # the reroute, not the first decision
    assert [p.ticket_id for p in found["C-B"]] == ["B00"]
    assert service_store.customer_history("C-A", since=NOW - timedelta(hours=2.5)) == found["C-A"][:3]


def test_decisions_between_two_times_newest_first(service_store):
    items = [(Ticket(ticket_id=f"T{n}", description="bill", created_at=NOW),
              decision(f"T{n}").model_copy(update={"decided_at": NOW - timedelta(days=n)})) for n in range(6)]
    service_store.save_decisions(items)
    since, until = NOW - timedelta(days=4), NOW - timedelta(days=1)
    rows = service_store.list_decision_rows(since=since, until=until)
    assert [r.ticket_id for r in rows] == ["T2", "T3", "T4"]  # T1 is decided exactly at `until`: excluded
    assert [d.ticket_id for d in service_store.list_decisions(since=since, until=until, limit=2)] == ["T2", "T3"]
    assert len(service_store.list_decision_rows()) == 6
